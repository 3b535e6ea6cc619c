package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;

/** Random options: the sizes asked for, drawn uniformly, the same for the same study and photo. */
class RandomOptionsTest {

    private static final Sag SHOWN = new Sag(List.of(new Sag.Node(0, PatchSet.of(1, 2, 3), 0.9, 1, true),
            new Sag.Node(1, PatchSet.of(1, 2), 0.5, 0.55, false)), List.of(new Sag.Edge(0, 1, 3, 0.4)),
            List.of(PatchSet.of(1, 2, 3)), false);

    @Test
    void everyNodeSizeAndTheLargerSizesAreDrawn() {
        List<PatchSet> sets = RandomOptions.draw(7, 42, SHOWN, 49);
        Map<Integer, Integer> bySize = new TreeMap<>();
        sets.forEach(s -> bySize.merge(s.size(), 1, Integer::sum));
        assertEquals(List.of(2, 3, 12, 16, 20, 24, 28, 32, 36), List.copyOf(bySize.keySet()));
        bySize.forEach((size, count) -> assertTrue(count > RandomOptions.PER_SIZE - 3 && count <= RandomOptions.PER_SIZE,
                size + " patches: " + count + " distinct sets"));
        assertEquals(sets, RandomOptions.draw(7, 42, SHOWN, 49), "the same seed draws the same sets");
        assertTrue(!sets.equals(RandomOptions.draw(7, 43, SHOWN, 49)), "another photo draws others");
    }

    @Test
    void eachPatchIsEquallyLikely() {
        // 20,000 sets of 5 of 49: each patch is expected in 20,000 * 5 / 49 = 2041 of them (sd about 43)
        Random random = new Random(1);
        int[] counts = new int[49];
        for (int i = 0; i < 20_000; i++) {
            PatchSet set = RandomOptions.uniform(random, 5, 49);
            assertEquals(5, set.size());
            set.toList().forEach(p -> counts[p]++);
        }
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += Math.pow(count - 20_000 * 5 / 49.0, 2) / (20_000 * 5 / 49.0);
        }
        // 48 degrees of freedom: the 99.9% point is 84.0
        assertTrue(chiSquare < 84.0, "chi-square " + chiSquare);
    }
}
