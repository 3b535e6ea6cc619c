package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A set of grid patches as a bit mask: bit {@code k} set means patch {@code k} (row-major) is shown.
 * Grids of up to 64 patches fit; the paper's 7x7 grid has 49.
 */
public record PatchSet(long bits) {

    public static final PatchSet EMPTY = new PatchSet(0L);

    public static PatchSet of(int... patches) {
        long bits = 0L;
        for (int p : patches) {
            bits |= bit(p);
        }
        return new PatchSet(bits);
    }

    public static PatchSet of(List<Integer> patches) {
        long bits = 0L;
        for (int p : patches) {
            bits |= bit(p);
        }
        return new PatchSet(bits);
    }

    public static PatchSet all(int patchCount) {
        return new PatchSet(patchCount == 64 ? -1L : (1L << patchCount) - 1);
    }

    private static long bit(int patch) {
        if (patch < 0 || patch > 63) {
            throw new IllegalArgumentException("patch index out of range 0..63: " + patch);
        }
        return 1L << patch;
    }

    public int size() {
        return Long.bitCount(bits);
    }

    public boolean isEmpty() {
        return bits == 0L;
    }

    public boolean contains(int patch) {
        return (bits & (1L << patch)) != 0;
    }

    public PatchSet with(int patch) {
        return new PatchSet(bits | bit(patch));
    }

    public PatchSet without(int patch) {
        return new PatchSet(bits & ~bit(patch));
    }

    public boolean isSubsetOf(PatchSet other) {
        return (bits & ~other.bits) == 0;
    }

    public int overlap(PatchSet other) {
        return Long.bitCount(bits & other.bits);
    }

    /** Patch indices in ascending order. */
    public int[] indices() {
        int[] result = new int[size()];
        long rest = bits;
        for (int i = 0; rest != 0; i++) {
            result[i] = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
        }
        return result;
    }

    public List<Integer> toList() {
        List<Integer> list = new ArrayList<>(size());
        for (int p : indices()) {
            list.add(p);
        }
        return list;
    }

    /** The paper's conjunction notation, e.g. {@code P11 & P30}. */
    public String toConjunction() {
        StringJoiner joiner = new StringJoiner(" & ");
        for (int p : indices()) {
            joiner.add("P" + p);
        }
        return joiner.toString();
    }

    @Override
    public String toString() {
        return toList().toString();
    }
}
