package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * The largest subset of explanations in which every pair shares at most {@code overlap} patches: a maximum clique of
 * the "compatible" graph, found exactly by depth-first search. Candidates are tried in discovery order and only a
 * strictly larger set replaces the best, so among equally large subsets the lexicographically first (by discovery
 * index) wins, as in the reference code. The result keeps discovery order.
 */
public final class DiverseRoots {

    private final boolean[][] compatible;
    private final int count;
    private int[] best = new int[0];

    private DiverseRoots(List<PatchSet> roots, int overlap) {
        count = roots.size();
        compatible = new boolean[count][count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < count; j++) {
                compatible[i][j] = roots.get(i).overlap(roots.get(j)) <= overlap;
            }
        }
    }

    /** Indices (into {@code roots}, ascending) of the chosen subset. */
    public static int[] choose(List<PatchSet> roots, int overlap) {
        if (overlap < 0) {
            throw new IllegalArgumentException("overlap must be at least 0");
        }
        DiverseRoots search = new DiverseRoots(roots, overlap);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < search.count; i++) {
            all.add(i);
        }
        search.extend(new int[search.count], 0, all);
        return search.best;
    }

    private void extend(int[] chosen, int size, List<Integer> candidates) {
        if (size > best.length) {
            best = java.util.Arrays.copyOf(chosen, size);
        }
        for (int k = 0; k < candidates.size(); k++) {
            if (size + candidates.size() - k <= best.length) {
                return; // even taking every remaining candidate cannot beat the best
            }
            int next = candidates.get(k);
            List<Integer> rest = new ArrayList<>();
            for (int m = k + 1; m < candidates.size(); m++) {
                int other = candidates.get(m);
                if (compatible[next][other]) {
                    rest.add(other);
                }
            }
            chosen[size] = next;
            extend(chosen, size + 1, rest);
        }
    }
}
