package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiverseRootsTest {

    @Test
    void choosesTheLargestCompatibleSubset() {
        List<PatchSet> roots = List.of(PatchSet.of(1, 2), PatchSet.of(2, 3), PatchSet.of(4, 5), PatchSet.of(1, 3),
                PatchSet.of(6, 7));
        // overlap 0: {1,2},{4,5},{6,7} (3 sets) beats anything with {2,3} or {1,3}
        assertArrayEquals(new int[] {0, 2, 4}, DiverseRoots.choose(roots, 0));
        // overlap 1: all five pairwise share at most one patch
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, DiverseRoots.choose(roots, 1));
    }

    @Test
    void tiesGoToTheFirstSubsetInDiscoveryOrder() {
        List<PatchSet> roots = List.of(PatchSet.of(1, 2, 3), PatchSet.of(1, 2, 4), PatchSet.of(7, 8),
                PatchSet.of(3, 4, 9));
        // 0 and 1 share two patches; {0,2,3} and {1,2,3} are both largest, and {0,2,3} comes first.
        assertArrayEquals(new int[] {0, 2, 3}, DiverseRoots.choose(roots, 1));
        // the first root is not forced in: {1,2,3} is the only largest set here
        assertArrayEquals(new int[] {1, 2, 3}, DiverseRoots.choose(List.of(PatchSet.of(1, 2, 3, 4),
                PatchSet.of(4, 5), PatchSet.of(3, 6), PatchSet.of(2, 8)), 0));
        assertArrayEquals(new int[] {0, 1, 2, 3}, DiverseRoots.choose(roots, 2));
        assertArrayEquals(new int[0], DiverseRoots.choose(List.of(), 1));
    }

    @Test
    void agreesWithBruteForceOnRandomRootSets() {
        java.util.Random random = new java.util.Random(9);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(12);
            List<PatchSet> roots = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                roots.add(new PatchSet(random.nextLong() & random.nextLong() & 0xfffL | 1L << random.nextInt(12)));
            }
            int overlap = random.nextInt(3);
            int[] expected = new int[0];
            for (int mask = 1; mask < 1 << n; mask++) {
                int subset = mask;
                int[] members = java.util.stream.IntStream.range(0, n).filter(i -> subsetBit(subset, i)).toArray();
                boolean ok = true;
                for (int a = 0; a < members.length && ok; a++) {
                    for (int b = a + 1; b < members.length && ok; b++) {
                        ok = roots.get(members[a]).overlap(roots.get(members[b])) <= overlap;
                    }
                }
                if (ok && (members.length > expected.length
                        || members.length == expected.length && java.util.Arrays.compare(members, expected) < 0)) {
                    expected = members;
                }
            }
            assertArrayEquals(expected, DiverseRoots.choose(roots, overlap), roots + " overlap " + overlap);
        }
    }

    private static boolean subsetBit(int subset, int i) {
        return (subset & (1 << i)) != 0;
    }
}
