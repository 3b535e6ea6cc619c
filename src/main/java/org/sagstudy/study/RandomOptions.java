package org.sagstudy.study;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;

/**
 * Random options for a photo's questions: patch sets drawn uniformly among all sets of a size, for every size of a
 * node in the SAG shown (so that a random option can stand against a node) and for larger sizes, a quarter to three
 * quarters of the grid: a confident model is rarely moved by a few random patches, so pairs of small random sets
 * almost never differ by the minimum gap. Unlike the sets the search evaluated, they do not favour the patches I-GOS
 * ranks high. Drawn from the study's seed, so a rebuild draws the same ones.
 */
final class RandomOptions {

    static final int PER_SIZE = 24;

    private RandomOptions() {
    }

    static List<PatchSet> draw(long seed, long imageId, Sag shown, int patchCount) {
        Set<Integer> sizes = new TreeSet<>();
        shown.nodes().forEach(node -> sizes.add(node.patches().size()));
        for (int size = patchCount / 4; size <= patchCount * 3 / 4; size += Math.max(1, patchCount / 12)) {
            sizes.add(size);
        }
        Random random = new Random(seed * 1_000_003L + imageId * 31 + 7);
        Set<PatchSet> sets = new LinkedHashSet<>();
        for (int size : sizes) {
            for (int i = 0; i < PER_SIZE; i++) {
                sets.add(uniform(random, size, patchCount));
            }
        }
        return new ArrayList<>(sets);
    }

    /** A uniformly random set of {@code size} of the patches 0..n-1 (Floyd's algorithm). */
    static PatchSet uniform(Random random, int size, int n) {
        long bits = 0;
        for (int j = n - size; j < n; j++) {
            int t = random.nextInt(j + 1);
            bits |= (bits & (1L << t)) == 0 ? 1L << t : 1L << j;
        }
        return new PatchSet(bits);
    }
}
