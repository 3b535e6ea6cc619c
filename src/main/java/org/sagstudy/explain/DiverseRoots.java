package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * The largest subset of explanations in which every pair shares at most {@code overlap} patches: a maximum clique of
 * the "compatible" graph, found exactly by depth-first search with a colouring bound. Candidates are tried in discovery order and only a
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

    /**
     * Colours of a greedy colouring of {@code candidates[from..]} in which compatible roots get different colours:
     * an upper bound on the largest compatible subset among them. It keeps dense graphs (wide beams, many roots) from
     * an exponential search without changing the order in which subsets are tried.
     */
    private int colours(List<Integer> candidates, int from) {
        List<List<Integer>> classes = new ArrayList<>();
        for (int i = from; i < candidates.size(); i++) {
            int vertex = candidates.get(i);
            List<Integer> target = null;
            for (List<Integer> colourClass : classes) {
                boolean conflict = false;
                for (int other : colourClass) {
                    if (compatible[vertex][other]) {
                        conflict = true;
                        break;
                    }
                }
                if (!conflict) {
                    target = colourClass;
                    break;
                }
            }
            if (target == null) {
                target = new ArrayList<>();
                classes.add(target);
            }
            target.add(vertex);
        }
        return classes.size();
    }

    private void extend(int[] chosen, int size, List<Integer> candidates) {
        if (size > best.length) {
            best = java.util.Arrays.copyOf(chosen, size);
        }
        for (int k = 0; k < candidates.size(); k++) {
            if (size + candidates.size() - k <= best.length || size + colours(candidates, k) <= best.length) {
                return; // even the remaining candidates' largest possible clique cannot beat the best
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
