package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The authors' combinatorial baseline ({@code comb_search_status} in their {@code search.py}): every k-subset of the
 * {@code top} best-ranked patches, for k = 1, 2, ... up to {@code maxK}; the smallest k with a sufficient subset.
 * Their defaults: the top 20 patches of the I-GOS ranking, subsets of up to 4.
 */
public final class CombinatorialSearch {

    public static final int AUTHORS_TOP = 20;
    public static final int AUTHORS_MAX_K = 4;
    /** Subsets evaluated per request: small enough that an early success stops the search soon. */
    private static final int CHUNK = 256;

    private CombinatorialSearch() {
    }

    public static OptionalInt smallestSufficientSize(MaskedConfidence f, int[] ranking, int top, int maxK,
            double threshold) {
        if (top < 1 || maxK < 1) {
            throw new IllegalArgumentException("the combinatorial search needs at least 1 patch and k >= 1");
        }
        int[] candidates = java.util.Arrays.copyOf(ranking, Math.min(top, ranking.length));
        double needed = threshold * f.fullProbability();
        for (int k = 1; k <= Math.min(maxK, candidates.length); k++) {
            List<PatchSet> chunk = new ArrayList<>(CHUNK);
            int[] chosen = new int[k];
            for (int i = 0; i < k; i++) {
                chosen[i] = i;
            }
            do {
                PatchSet subset = PatchSet.EMPTY;
                for (int index : chosen) {
                    subset = subset.with(candidates[index]);
                }
                chunk.add(subset);
                if (chunk.size() == CHUNK) {
                    if (anySufficient(f, chunk, needed)) {
                        return OptionalInt.of(k);
                    }
                    chunk.clear();
                }
            } while (nextCombination(chosen, candidates.length));
            if (anySufficient(f, chunk, needed)) {
                return OptionalInt.of(k);
            }
        }
        return OptionalInt.empty();
    }

    private static boolean anySufficient(MaskedConfidence f, List<PatchSet> sets, double needed) {
        if (sets.isEmpty()) {
            return false;
        }
        for (double value : f.confidences(sets)) {
            if (value > needed) {
                return true;
            }
        }
        return false;
    }

    /** Advances {@code chosen} (ascending indices below n) to the next combination in lexicographic order. */
    static boolean nextCombination(int[] chosen, int n) {
        int k = chosen.length;
        int i = k - 1;
        while (i >= 0 && chosen[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        chosen[i]++;
        for (int j = i + 1; j < k; j++) {
            chosen[j] = chosen[j - 1] + 1;
        }
        return true;
    }
}
