package org.sagstudy.explain;

/**
 * When the search for the paper's second experiment (how many minimal sufficient explanations an image has) stops,
 * and what "sufficient" means there. The count depends on it as much as on the image.
 */
public enum StoppingRule {
    /** After the level at which more than {@code maxRoots} explanations are known (that level's are all kept). */
    MORE_THAN_MAX_ROOTS("more than max-roots (ours, the authors' current code)", 2),
    /** At the end of the first level that yields an explanation. */
    FIRST_ROOT_LEVEL("first level with a root", 2),
    /**
     * The authors' NeurIPS-era code: sufficient when f(S) > threshold outright (whatever p_full), the ranking from
     * 15 I-GOS iterations, stopping as {@link #MORE_THAN_MAX_ROOTS}.
     */
    ABSOLUTE_THRESHOLD("absolute f > 0.9, 15 I-GOS iterations (NeurIPS-era code)", 15);

    private final String description;
    private final int rankingIterations;

    StoppingRule(String description, int rankingIterations) {
        this.description = description;
        this.rankingIterations = rankingIterations;
    }

    public String description() {
        return description;
    }

    /** I-GOS iterations of the ranking that steers the search. */
    public int rankingIterations() {
        return rankingIterations;
    }

    /** The search parameters that apply the rule to {@code base} for an image whose full probability is {@code pFull}. */
    public SearchParameters apply(SearchParameters base, double pFull) {
        return switch (this) {
            case MORE_THAN_MAX_ROOTS -> base;
            case FIRST_ROOT_LEVEL -> base.withMaxRoots(0);
            // f > t * p_full with t = threshold / p_full is f > threshold (bounded for absurdly unsure images)
            case ABSOLUTE_THRESHOLD -> base.withThreshold(Math.min(SearchParameters.MAX_THRESHOLD,
                    base.threshold() / pFull));
        };
    }
}
