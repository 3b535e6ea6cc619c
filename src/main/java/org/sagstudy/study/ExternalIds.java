package org.sagstudy.study;

import java.util.Map;
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
