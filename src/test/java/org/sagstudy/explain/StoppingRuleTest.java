package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The second experiment's count under each stopping rule, on a classifier with three known explanations. */
class StoppingRuleTest {

    private static final PatchGrid GRID = PatchGrid.paper();
    private static final ImageTensor WHITE = PatchRuleClassifier.whiteImage(224);

    private static int roots(Classifier classifier, StoppingRule rule) {
        MaskedConfidence f = new MaskedConfidence(classifier, WHITE, Baseline.BLACK.imageFor(WHITE), GRID,
                Prediction.of(classifier, WHITE), new EvaluationStats());
        List<Integer> order = new ArrayList<>(List.of(10, 20, 21, 30, 31, 32));
        for (int p = 0; p < 49; p++) {
            if (!order.contains(p)) {
                order.add(p);
            }
        }
        SearchParameters search = rule.apply(SearchParameters.PAPER, f.fullProbability());
        return BeamSearch.findExplanations(f, order.stream().mapToInt(Integer::intValue).toArray(), search).roots()
                .size();
    }

    @Test
    void eachRuleCountsWhatItSays() {
        // sufficient: {10} (found at level 1), {20, 21} (level 2), {30, 31, 32} (level 3); p_full = 0.9
        Classifier three = PatchRuleClassifier.dnf(GRID, PatchSet.of(10), PatchSet.of(20, 21), PatchSet.of(30, 31, 32));
        assertEquals(3, roots(three, StoppingRule.MORE_THAN_MAX_ROOTS), "never more than 10: searches to the end");
        assertEquals(1, roots(three, StoppingRule.FIRST_ROOT_LEVEL), "stops after level 1");
        assertEquals(0, roots(three, StoppingRule.ABSOLUTE_THRESHOLD), "0.9 is not above 0.9");

        // the same explanations at 0.95 against a full image of 0.6: relative and absolute both accept them
        PatchRuleClassifier confident = new PatchRuleClassifier(GRID, visible -> {
            if (visible.size() == 49) {
                return 0.6;
            }
            boolean any = PatchSet.of(10).isSubsetOf(visible) || PatchSet.of(20, 21).isSubsetOf(visible)
                    || PatchSet.of(30, 31, 32).isSubsetOf(visible);
            return any ? 0.95 : 0.1;
        });
        assertEquals(3, roots(confident, StoppingRule.ABSOLUTE_THRESHOLD));
        assertEquals(3, roots(confident, StoppingRule.MORE_THAN_MAX_ROOTS));
        assertEquals(15, StoppingRule.ABSOLUTE_THRESHOLD.rankingIterations());
        assertEquals(2, StoppingRule.FIRST_ROOT_LEVEL.rankingIterations());
    }
}
