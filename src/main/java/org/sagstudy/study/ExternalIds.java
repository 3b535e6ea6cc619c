package org.sagstudy.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.sagstudy.problem.Conflict;
import org.sagstudy.problem.Invalid;

/**
 * Who a participant is on the recruiting platform: Prolific ({@code PROLIFIC_PID}, {@code STUDY_ID},
 * {@code SESSION_ID}), Amazon Mechanical Turk ({@code workerId}, {@code hitId}, {@code assignmentId}) or nobody
 * (anonymous). Ids are kept in one letter case (Prolific's lower, MTurk's upper, as the platforms issue them), so the
 * same person typed in another case is the same participant: one participation per normalised id.
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
        String prolific = lower(clean(parameters.get("PROLIFIC_PID")));
        if (prolific != null) {
            return new ExternalIds("prolific", prolific, lower(clean(parameters.get("STUDY_ID"))),
                    lower(clean(parameters.get("SESSION_ID"))));
        }
        String worker = upper(clean(parameters.get("workerId")));
        if (worker != null) {
            String assignment = clean(parameters.get("assignmentId"));
            return new ExternalIds("mturk", worker, upper(clean(parameters.get("hitId"))),
                    MTURK_PREVIEW.equalsIgnoreCase(assignment) ? MTURK_PREVIEW : upper(assignment));
        }
        return anonymous();
    }

    private static final Pattern PROLIFIC_ID = Pattern.compile("[0-9a-f]{24}");
    private static final Pattern MTURK_ID = Pattern.compile("[A-Z0-9]{10,40}");

    /**
     * Checks these ids against the platform the study requires ({@link StudyDesign#platform()}): missing or malformed
     * participant ids are refused (400), an MTurk preview is refused (409); a missing or malformed study or session
     * id of the platform, or a study id other than {@code expectedStudy} (the design's, when it names one), is
     * returned as a flag, and the session is kept out of the results.
     */
    public List<String> check(String requiredPlatform, String expectedStudy) {
        if (MTURK_PREVIEW.equals(externalSession)) {
            throw new Conflict("this HIT is only being previewed: accept it to take part");
        }
        List<String> flags = new ArrayList<>();
        switch (requiredPlatform) {
            case "prolific" -> {
                if (!"prolific".equals(platform)) {
                    throw new Invalid("this study is for Prolific participants: open it from Prolific");
                }
                require(PROLIFIC_ID, externalId, "PROLIFIC_PID must be 24 hexadecimal characters");
                flag(PROLIFIC_ID, externalStudy, "STUDY_ID", flags);
                flag(PROLIFIC_ID, externalSession, "SESSION_ID", flags);
                flagOtherStudy("STUDY_ID", lower(expectedStudy), flags);
            }
            case "mturk" -> {
                if (!"mturk".equals(platform)) {
                    throw new Invalid("this study is for MTurk workers: open it from the HIT");
                }
                require(MTURK_ID, externalId, "workerId is not an MTurk worker id");
                require(MTURK_ID, externalSession, "assignmentId is missing or not an MTurk assignment id");
                flag(MTURK_ID, externalStudy, "hitId", flags);
                flagOtherStudy("hitId", upper(expectedStudy), flags);
            }
            default -> {
                // any: platform ids are taken as they come
            }
        }
        return flags;
    }

    private static void require(Pattern format, String value, String problem) {
        if (value == null || !format.matcher(value).matches()) {
            throw new Invalid(problem);
        }
    }

    private static void flag(Pattern format, String value, String name, List<String> flags) {
        if (value == null) {
            flags.add(name + " missing");
        } else if (!format.matcher(value).matches()) {
            flags.add(name + " malformed");
        }
    }

    /** The design names the platform's study: a session from another study (or a made-up one) is flagged. */
    private void flagOtherStudy(String name, String expected, List<String> flags) {
        if (expected != null && !expected.isBlank() && externalStudy != null && !expected.equals(externalStudy)) {
            flags.add(name + " is not this study's");
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }

    private static String clean(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() > MAX_LENGTH) {
            throw new Invalid("an id is longer than " + MAX_LENGTH + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid("an id contains control characters");
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
