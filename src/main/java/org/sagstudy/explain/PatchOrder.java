package org.sagstudy.explain;

import java.util.Arrays;

/**
 * Which patches a beam member tries next (docs/METHOD.md section 5, step 2): its {@code q} best-ranked missing patches.
 */
public interface PatchOrder {

    /** Up to {@code q} patches not in {@code member}, best first. */
    int[] successors(PatchSet member, int q);

    /** The order for the empty set, every patch best first (what an explanation records as its ranking). */
    int[] ranking();

    /** One fixed order for every member. */
    static PatchOrder fixed(int[] ranking) {
        int[] order = ranking.clone();
        return new PatchOrder() {
            @Override
            public int[] successors(PatchSet member, int q) {
                int[] out = new int[Math.min(q, order.length - member.size())];
                int taken = 0;
                for (int i = 0; i < order.length && taken < out.length; i++) {
                    if (!member.contains(order[i])) {
                        out[taken++] = order[i];
                    }
                }
                return taken == out.length ? out : Arrays.copyOf(out, taken);
            }

            @Override
            public int[] ranking() {
                return order.clone();
            }
        };
    }

    /**
     * The authors' rule ({@code beamSearch_get_successor_indices} in search.py): {@code np.argsort} of the float32
     * deletion mask (low = important) in which the member's patches are set to 2, first {@code q}. NumPy's default
     * argsort is not stable, so patches with equal mask values (I-GOS clamps many to exactly 1.0) come out in an order
     * that changes from member to member; one fixed permutation cannot reproduce that.
     */
    static PatchOrder numpy(float[] mask) {
        float[] values = mask.clone();
        return new PatchOrder() {
            @Override
            public int[] successors(PatchSet member, int q) {
                float[] copy = values.clone();
                for (int p : member.indices()) {
                    copy[p] = 2f;
                }
                int[] sorted = NumpyArgsort.argsort(copy);
                return Arrays.copyOf(sorted, Math.min(q, values.length - member.size()));
            }

            @Override
            public int[] ranking() {
                return NumpyArgsort.argsort(values);
            }
        };
    }

    /** Ascending mask value (low = important), ties by patch index: the default mode's reading of a mask. */
    static int[] stableAscending(float[] mask) {
        Integer[] order = new Integer[mask.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(mask[a], mask[b]));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
