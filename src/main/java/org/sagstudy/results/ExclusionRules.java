package org.sagstudy.results;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which participants count, set on the analysis page and applied the same way to every export: more failed attention
 * checks than allowed, a median response time below the minimum (measured by the server), an unfinished session,
 * platform ids that broke the study's rules. {@code population} chooses real, simulated or both kinds of sessions.
 */
public record ExclusionRules(int maxFailedChecks, int minMedianMs, boolean excludeIncomplete, Population population,
        boolean excludeFlagged) {

    public static ExclusionRules defaults() {
        return new ExclusionRules(0, 1000, true, Population.REAL, true);
    }

    /**
     * Reads {@code maxFailedChecks}, {@code minMedianMs}, {@code incomplete} (exclude/keep), {@code population} and
     * {@code flagged} (exclude/keep).
     */
    public static ExclusionRules from(MultivaluedMap<String, String> query) {
        ExclusionRules d = defaults();
        return new ExclusionRules(number(query.getFirst("maxFailedChecks"), d.maxFailedChecks(), "maxFailedChecks"),
                number(query.getFirst("minMedianMs"), d.minMedianMs(), "minMedianMs"),
                excludeOrKeep(query.getFirst("incomplete"), "incomplete"), population(query.getFirst("population")),
                excludeOrKeep(query.getFirst("flagged"), "flagged"));
    }

    private static int number(String text, int fallback, String name) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of at least 0");
        }
    }

    private static boolean excludeOrKeep(String text, String name) {
        if (text == null || text.isBlank() || text.trim().equals("exclude")) {
            return true;
        }
        if (text.trim().equals("keep")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be exclude or keep");
    }

    private static Population population(String text) {
        if (text == null || text.isBlank()) {
            return Population.REAL;
        }
        try {
            return Population.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("population must be real, simulated or all");
        }
    }

    /** Why this participant is excluded (reasons joined by "; "), or empty when they count. */
    public Optional<String> exclusion(ParticipantSummary p) {
        List<String> reasons = new ArrayList<>();
        if (excludeIncomplete && !p.completed()) {
            reasons.add("incomplete");
        }
        if (p.attentionFailed() > maxFailedChecks) {
            reasons.add("failed " + p.attentionFailed() + " attention check" + (p.attentionFailed() == 1 ? "" : "s"));
        }
        if (p.medianResponseMs() != null && p.medianResponseMs() < minMedianMs) {
            reasons.add(String.format(Locale.ROOT, "too fast (median %.0f ms)", p.medianResponseMs()));
        }
        if (excludeFlagged && p.flags() != null) {
            reasons.add("flagged (" + p.flags() + ")");
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** The rules as a query string, for links that must apply the same rules. */
    public String query() {
        return "maxFailedChecks=" + maxFailedChecks + "&minMedianMs=" + minMedianMs + "&incomplete="
                + (excludeIncomplete ? "exclude" : "keep") + "&population=" + population.key() + "&flagged="
                + (excludeFlagged ? "exclude" : "keep");
    }
}
