package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shrinks a sufficient patch set to a minimal one. {@code GREEDY} is the reference code's rule: walk the patches in
 * ascending index order, drop each one whose removal keeps the set sufficient, and repeat passes until a pass drops
 * nothing (no single patch can then be removed). {@code EXACT} then checks every subset of the greedy result in order of
 * size, so no proper subset of what it returns is sufficient: the paper's definition. (Greedy results are small, so
 * that is cheap; above {@link #EXACT_LIMIT} patches the greedy result is kept.)
 */
public enum Minimality {
    GREEDY, EXACT;

    /** Above this many patches the subsets are not enumerated (2^n would be too many). */
    static final int EXACT_LIMIT = 12;

    /** Removals evaluated per request in the greedy walk: enough to batch, few to throw away after a removal. */
    private static final int GREEDY_CHUNK = 4;

    public static Minimality parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown minimality '" + name + "' (greedy or exact)");
        }
    }

    public PatchSet minimize(PatchSet sufficient, MaskedConfidence f, double threshold) {
        return switch (this) {
            case GREEDY -> greedy(sufficient, f, threshold);
            case EXACT -> exact(greedy(sufficient, f, threshold), f, threshold);
        };
    }

    /**
     * The sequential greedy pass, evaluated in small batches: the next few removals of the pass are evaluated
     * together, the first sufficient one (in index order) is taken, and the walk continues after it, which is exactly
     * what the one-at-a-time walk would do.
     */
    static PatchSet greedy(PatchSet set, MaskedConfidence f, double threshold) {
        double needed = threshold * f.fullProbability();
        boolean removedAny = true;
        while (removedAny) {
            removedAny = false;
            int from = 0;
            while (true) {
                List<Integer> ahead = new ArrayList<>();
                for (int p : set.indices()) {
                    if (p >= from && ahead.size() < GREEDY_CHUNK) {
                        ahead.add(p);
                    }
                }
                if (ahead.isEmpty()) {
                    break;
                }
                List<PatchSet> removals = new ArrayList<>(ahead.size());
                for (int p : ahead) {
                    removals.add(set.without(p));
                }
                double[] values = f.confidences(removals);
                int dropped = -1;
                for (int i = 0; i < values.length; i++) {
                    if (values[i] > needed) {
                        dropped = i;
                        break;
                    }
                }
                if (dropped < 0) {
                    from = ahead.get(ahead.size() - 1) + 1;
                    continue;
                }
                set = removals.get(dropped);
                removedAny = true;
                from = ahead.get(dropped) + 1;
            }
        }
        return set;
    }

    /** The first sufficient subset in order of size, then of ascending indices; the set itself if none is smaller. */
    static PatchSet exact(PatchSet set, MaskedConfidence f, double threshold) {
        if (set.size() > EXACT_LIMIT) {
            return set;
        }
        double needed = threshold * f.fullProbability();
        int[] patches = set.indices();
        for (int size = 0; size < patches.length; size++) {
            List<PatchSet> subsets = new ArrayList<>();
            collectSubsets(patches, size, 0, 0L, subsets);
            double[] values = f.confidences(subsets);
            for (int i = 0; i < values.length; i++) {
                if (values[i] > needed) {
                    return subsets.get(i);
                }
            }
        }
        return set;
    }

    private static void collectSubsets(int[] patches, int remaining, int start, long bits, List<PatchSet> out) {
        if (remaining == 0) {
            out.add(new PatchSet(bits));
            return;
        }
        for (int i = start; i <= patches.length - remaining; i++) {
            collectSubsets(patches, remaining - 1, i + 1, bits | (1L << patches[i]), out);
        }
    }
}
