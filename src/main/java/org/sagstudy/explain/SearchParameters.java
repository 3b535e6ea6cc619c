package org.sagstudy.explain;

/**
 * Parameters of the beam search for minimal sufficient explanations (docs/METHOD.md section 5).
 *
 * @param beamWidth           b, sets kept per level
 * @param candidatesPerMember q, best-ranked patches tried as successors of each beam member
 * @param maxRoots            the search stops once more than this many distinct explanations are known
 * @param threshold           P_h: a set is sufficient when f(S) > threshold * p_full
 * @param maxLevels           the largest set size tried
 */
public record SearchParameters(int beamWidth, int candidatesPerMember, int maxRoots, double threshold, int maxLevels,
        SearchMode mode, Minimality minimality) {

    public static final SearchParameters PAPER =
            new SearchParameters(3, 15, 10, 0.9, 49, SearchMode.DEFAULT, Minimality.GREEDY);

    static final double MAX_THRESHOLD = 100;

    public SearchParameters {
        if (beamWidth < 1 || candidatesPerMember < 1 || maxRoots < 0 || maxLevels < 1) {
            throw new IllegalArgumentException("beam width, candidates and levels must be at least 1");
        }
        if (candidatesPerMember < beamWidth) {
            throw new IllegalArgumentException("candidates per beam member (q=" + candidatesPerMember
                    + ") must be at least the beam width (b=" + beamWidth + ")");
        }
        // above 1 only for an absolute threshold turned relative (0.9 / p_full)
        if (!(threshold > 0 && threshold <= MAX_THRESHOLD)) {
            throw new IllegalArgumentException("threshold must be in (0, " + (int) MAX_THRESHOLD + "]: " + threshold);
        }
    }

    public SearchParameters withMaxRoots(int roots) {
        return new SearchParameters(beamWidth, candidatesPerMember, roots, threshold, maxLevels, mode, minimality);
    }

    public SearchParameters withThreshold(double value) {
        return new SearchParameters(beamWidth, candidatesPerMember, maxRoots, value, maxLevels, mode, minimality);
    }

    public SearchParameters withBeamWidth(int width) {
        return new SearchParameters(width, Math.max(width, candidatesPerMember), maxRoots, threshold, maxLevels, mode,
                minimality);
    }
}
