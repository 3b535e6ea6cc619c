package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The authors' combinatorial baseline on classifiers whose smallest sufficient sets are known. */
class CombinatorialSearchTest {

    private static final PatchGrid GRID = PatchGrid.paper();
    private static final ImageTensor WHITE = PatchRuleClassifier.whiteImage(224);

    private static MaskedConfidence confidence(Classifier classifier) {
        return new MaskedConfidence(classifier, WHITE, Baseline.BLACK.imageFor(WHITE), GRID,
                Prediction.of(classifier, WHITE), new EvaluationStats());
    }

    private static int[] ranking(int... first) {
        List<Integer> order = new ArrayList<>();
        Arrays.stream(first).forEach(order::add);
        for (int p = 0; p < 49; p++) {
            if (!order.contains(p)) {
                order.add(p);
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void findsTheSmallestSufficientSubsetOfTheTopPatches() {
        // {30, 40, 45} is sufficient, and so is {5, 6, 7, 8}; patches 30, 40, 45 rank 10th, 15th and 20th
        MaskedConfidence f = confidence(PatchRuleClassifier.dnf(GRID, PatchSet.of(30, 40, 45),
                PatchSet.of(5, 6, 7, 8)));
        int[] order = ranking(0, 1, 2, 3, 4, 5, 6, 7, 8, 30, 9, 10, 11, 12, 40, 13, 14, 15, 16, 45);
        assertEquals(3, CombinatorialSearch.smallestSufficientSize(f, order, 20, 4, 0.9).getAsInt(),
                "beam search from this ranking would need many more patches; every 3-subset of the top 20 is tried");
        assertEquals(4, CombinatorialSearch.smallestSufficientSize(f, order, 19, 4, 0.9).getAsInt(),
                "without patch 45 among the candidates only {5, 6, 7, 8} is left");
        assertTrue(CombinatorialSearch.smallestSufficientSize(f, order, 19, 3, 0.9).isEmpty());
        // C(20, 1) + C(20, 2) + C(20, 3) subsets at most, each evaluated once
        long evaluated = f.stats().snapshot().forwardPasses();
        assertTrue(evaluated <= 20 + 190 + 1140 + 19 + 171 + 969 + 3876 + 1, "evaluated " + evaluated);
    }

    @Test
    void combinationsComeInLexicographicOrder() {
        int[] chosen = {0, 1};
        List<String> seen = new ArrayList<>();
        do {
            seen.add(chosen[0] + "" + chosen[1]);
        } while (CombinatorialSearch.nextCombination(chosen, 4));
        assertEquals(List.of("01", "02", "03", "12", "13", "23"), seen);
    }
}
