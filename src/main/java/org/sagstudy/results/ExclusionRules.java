package org.sagstudy.results;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.study.ParticipantSummary;
import org.sagstudy.study.StudyDesign;

/**
 * Which participants count: more failed attention checks than allowed, a median response time below the minimum
 * (measured by the server), an unfinished session, platform ids that broke the study's rules. {@code population}
 * chooses real, simulated or both kinds of sessions. The design registers one set (frozen when the study opens); the
 * analysis page and every export apply it unless asked for other rules, and then say that the result is exploratory.
 *
 * @param registered these are the design's rules, applied to the real participants
 */
public record ExclusionRules(int maxFailedChecks, int minMedianMs, boolean excludeIncomplete, Population population,
        boolean excludeFlagged, boolean registered) {

    public static final String EXPLORATORY = "exploratory: not the registered rules";

    public static ExclusionRules defaults() {
        return registered(StudyDesign.Exclusions.DEFAULT);
    }

    public static ExclusionRules registered(StudyDesign.Exclusions rules) {
        return new ExclusionRules(rules.maxFailedChecks(), rules.minMedianMs(), rules.excludeIncomplete(),
                Population.REAL, rules.excludeFlagged(), true);
    }

    /**
     * Reads {@code maxFailedChecks}, {@code minMedianMs}, {@code incomplete} (exclude/keep), {@code population} and
     * {@code flagged} (exclude/keep); what the query leaves out is the registered rule.
     */
    public static ExclusionRules from(Map<String, List<String>> query, StudyDesign.Exclusions registered) {
        ExclusionRules r = registered(registered);
        int maxFailed = number(first(query, "maxFailedChecks"), r.maxFailedChecks(), "maxFailedChecks");
        int minMedian = number(first(query, "minMedianMs"), r.minMedianMs(), "minMedianMs");
        boolean incomplete = excludeOrKeep(first(query, "incomplete"), r.excludeIncomplete(), "incomplete");
        Population population = population(first(query, "population"));
        boolean flagged = excludeOrKeep(first(query, "flagged"), r.excludeFlagged(), "flagged");
        boolean same = maxFailed == r.maxFailedChecks() && minMedian == r.minMedianMs()
                && incomplete == r.excludeIncomplete() && population == Population.REAL
                && flagged == r.excludeFlagged();
        return new ExclusionRules(maxFailed, minMedian, incomplete, population, flagged, same);
    }

    /** A query parameter as JAX-RS's getFirst reads it: the first value, or null. */
    static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The same rules with unfinished sessions kept: the drop-out sensitivity check. */
    public ExclusionRules keepingIncomplete() {
        return new ExclusionRules(maxFailedChecks, minMedianMs, false, population, excludeFlagged, false);
    }

    /** The label every table and file made with other rules carries; empty for the registered ones. */
    public String label() {
        return registered ? "" : EXPLORATORY;
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

    private static boolean excludeOrKeep(String text, boolean registered, String name) {
        if (text == null || text.isBlank()) {
            return registered;
        }
        if (text.trim().equals("exclude")) {
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
        List<String> reasons = new StudyDesign.Exclusions(maxFailedChecks, minMedianMs, excludeIncomplete,
                excludeFlagged).broken(p.completed(), p.attentionFailed(), p.medianResponseMs(), p.flags());
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** The rules as a query string, for links that must apply the same rules. */
    public String query() {
        return "maxFailedChecks=" + maxFailedChecks + "&minMedianMs=" + minMedianMs + "&incomplete="
                + (excludeIncomplete ? "exclude" : "keep") + "&population=" + population.key() + "&flagged="
                + (excludeFlagged ? "exclude" : "keep");
    }
}
