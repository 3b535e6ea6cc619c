package org.sagstudy.study;

import java.time.OffsetDateTime;

/**
 * A session with what exclusion rules look at: answers per item kind, failed attention checks, the median response
 * time of the non-practice answers (the server's measure: answer stored minus question first served), and the flags
 * of platform ids that broke the study's rules.
 */
public record ParticipantSummary(long id, String condition, SessionKind kind, SessionState state, String platform,
        String externalId, String externalStudy, String externalSession, OffsetDateTime startedAt,
        OffsetDateTime completedAt, String userAgent, long seed, int planned, int answers, int trialAnswers,
        int trialCorrect, int attentionAnswers, int attentionFailed, Double medianResponseMs, String flags,
        OffsetDateTime instructionsDoneAt, int practicePlanned, int practiceAnswers, int comprehensionFailures,
        boolean passedComprehension) {

    /** Read the instructions and went on (the worked example included). */
    public boolean readInstructions() {
        return instructionsDoneAt != null;
    }

    /** Answered every practice question (sessions through the API, such as simulated ones, skip the instructions). */
    public boolean finishedPractice() {
        return practiceAnswers >= practicePlanned && (readInstructions() || answers > practiceAnswers);
    }

    /** Seconds spent on the instructions page, from the session's start; null while not read. */
    public Double instructionSeconds() {
        return instructionsDoneAt == null ? null
                : java.time.Duration.between(startedAt, instructionsDoneAt).toMillis() / 1000.0;
    }

    public boolean completed() {
        return state == SessionState.COMPLETED;
    }

    /** Seconds from start to completion; null while unfinished. */
    public Double durationSeconds() {
        return completedAt == null ? null
                : java.time.Duration.between(startedAt, completedAt).toMillis() / 1000.0;
    }

    /** A coarse device class from the browser's user agent. */
    public String device() {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        String ua = userAgent.toLowerCase(java.util.Locale.ROOT);
        if (ua.contains("ipad") || ua.contains("tablet")) {
            return "tablet";
        }
        if (ua.contains("mobi") || ua.contains("android") || ua.contains("iphone")) {
            return "phone";
        }
        return ua.startsWith("java-http-client") ? "script" : "desktop";
    }
}
