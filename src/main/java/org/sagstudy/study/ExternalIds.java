package org.sagstudy.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.sagstudy.web.HttpProblem;

/**
 * Who a participant is on the recruiting platform: Prolific ({@code PROLIFIC_PID}, {@code STUDY_ID},
 * {@code SESSION_ID}), Amazon Mechanical Turk ({@code workerId}, {@code hitId}, {@code assignmentId}) or nobody
 * (anonymous).
 */
public record ExternalIds(String platform, String externalId, String externalStudy, String externalSession) {

    private static final int MAX_LENGTH = 200;

    /** MTurk's value of {@code assignmentId} while a worker only previews the HIT. */
    public static final String MTURK_PREVIEW = "ASSIGNMENT_ID_NOT_AVAILABLE";

    public static ExternalIds anonymous() {
        return new ExternalIds("anonymous", null, null, null);
    }

    /** Reads the platform's query parameters; a value that is blank counts as absent. */
    public static ExternalIds from(Map<String, String> parameters) {
        String prolific = clean(parameters.get("PROLIFIC_PID"));
        if (prolific != null) {
            return new ExternalIds("prolific", prolific, clean(parameters.get("STUDY_ID")),
                    clean(parameters.get("SESSION_ID")));
        }
        String worker = clean(parameters.get("workerId"));
        if (worker != null) {
            return new ExternalIds("mturk", worker, clean(parameters.get("hitId")),
                    clean(parameters.get("assignmentId")));
        }
        return anonymous();
    }

    private static final Pattern PROLIFIC_ID = Pattern.compile("[0-9a-fA-F]{24}");
    private static final Pattern MTURK_ID = Pattern.compile("[A-Z0-9]{10,40}");

    /**
     * Checks these ids against the platform the study requires ({@link StudyDesign#platform()}): missing or malformed
     * participant ids are refused (400), an MTurk preview is refused (409); a missing or malformed study or session
     * id of the platform is returned as a flag, and the session is kept out of the results.
     */
    public List<String> check(String requiredPlatform) {
        if (MTURK_PREVIEW.equals(externalSession)) {
            throw HttpProblem.conflict("this HIT is only being previewed: accept it to take part");
        }
        List<String> flags = new ArrayList<>();
        switch (requiredPlatform) {
            case "prolific" -> {
                if (!"prolific".equals(platform)) {
                    throw HttpProblem.badRequest("this study is for Prolific participants: open it from Prolific");
                }
                require(PROLIFIC_ID, externalId, "PROLIFIC_PID must be 24 hexadecimal characters");
                flag(PROLIFIC_ID, externalStudy, "STUDY_ID", flags);
                flag(PROLIFIC_ID, externalSession, "SESSION_ID", flags);
            }
            case "mturk" -> {
                if (!"mturk".equals(platform)) {
                    throw HttpProblem.badRequest("this study is for MTurk workers: open it from the HIT");
                }
                require(MTURK_ID, externalId, "workerId is not an MTurk worker id");
                require(MTURK_ID, externalSession, "assignmentId is missing or not an MTurk assignment id");
                flag(MTURK_ID, externalStudy, "hitId", flags);
            }
            default -> {
                // any: platform ids are taken as they come
            }
        }
        return flags;
    }

    private static void require(Pattern format, String value, String problem) {
        if (value == null || !format.matcher(value).matches()) {
            throw HttpProblem.badRequest(problem);
        }
    }

    private static void flag(Pattern format, String value, String name, List<String> flags) {
        if (value == null) {
            flags.add(name + " missing");
        } else if (!format.matcher(value).matches()) {
            flags.add(name + " malformed");
        }
    }

    private static String clean(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() > MAX_LENGTH) {
            throw HttpProblem.badRequest("an id is longer than " + MAX_LENGTH + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw HttpProblem.badRequest("an id contains control characters");
        }
        return trimmed;
    }

    /** The query string that carries these ids on to the next page. */
    public Map<String, String> asParameters() {
        return switch (platform) {
            case "prolific" -> nonNull("PROLIFIC_PID", externalId, "STUDY_ID", externalStudy, "SESSION_ID",
                    externalSession);
            case "mturk" -> nonNull("workerId", externalId, "hitId", externalStudy, "assignmentId", externalSession);
            default -> Map.of();
        };
    }

    private static Map<String, String> nonNull(String... keyValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }
}
