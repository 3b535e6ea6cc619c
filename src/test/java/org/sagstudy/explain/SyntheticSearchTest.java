package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Beam search, minimality and SAGs on classifiers whose minimal sufficient explanations are known in advance. */
class SyntheticSearchTest {

    private static final PatchGrid GRID = PatchGrid.paper();
    private static final ImageTensor WHITE = PatchRuleClassifier.whiteImage(224);

    private static MaskedConfidence confidence(Classifier classifier) {
        Prediction prediction = Prediction.of(classifier, WHITE);
        return new MaskedConfidence(classifier, WHITE, Baseline.BLACK.imageFor(WHITE), GRID, prediction,
                new EvaluationStats());
    }

    /** The ranking {@code first...} followed by every other patch in index order. */
    private static int[] ranking(int... first) {
        List<Integer> order = new ArrayList<>();
        for (int p : first) {
            order.add(p);
        }
        for (int p = 0; p < 49; p++) {
            if (!order.contains(p)) {
                order.add(p);
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static SearchParameters parameters(SearchMode mode, Minimality minimality) {
        return new SearchParameters(3, 15, 10, 0.9, 49, mode, minimality);
    }

    private static List<PatchSet> patches(List<BeamSearch.Root> roots) {
        return roots.stream().map(BeamSearch.Root::patches).toList();
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void findsExactlyTheKnownExplanations(SearchMode mode) {
        // Confident when patch 10 is shown, or when patches 20 and 21 are both shown.
        MaskedConfidence f = confidence(PatchRuleClassifier.dnf(GRID, PatchSet.of(10), PatchSet.of(20, 21)));
        assertEquals(0, f.classIndex());
        BeamSearch.Result result = BeamSearch.findExplanations(f, ranking(10, 20, 21),
                parameters(mode, Minimality.GREEDY));
        assertEquals(List.of(PatchSet.of(10), PatchSet.of(20, 21)), patches(result.roots()));
        assertEquals(List.of(1, 2), result.roots().stream().map(BeamSearch.Root::level).toList());
        for (BeamSearch.Root root : result.roots()) {
            assertEquals(1.0, root.relative(), 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void sagOfTwoRootsHasTheExpectedNodesAndEdges(SearchMode mode) {
        MaskedConfidence f = confidence(PatchRuleClassifier.dnf(GRID, PatchSet.of(10), PatchSet.of(20, 21)));
        Sag sag = SagBuilder.build(List.of(PatchSet.of(10), PatchSet.of(20, 21)), f, 0.4, mode, 100);
        assertEquals(List.of(PatchSet.of(10), PatchSet.of(20, 21), PatchSet.of(21), PatchSet.of(20)),
                sag.nodes().stream().map(Sag.Node::patches).toList());
        assertEquals(List.of(new Sag.Edge(1, 2, 20, 1 - 0.425), new Sag.Edge(1, 3, 21, 1 - 0.425)),
                sag.edges().stream().map(e -> new Sag.Edge(e.parent(), e.child(), e.removedPatch(),
                        Math.round(e.drop() * 1e6) / 1e6)).toList());
        assertEquals("P10 | P20 & P21", sag.dnf());
    }

    @Test
    void defaultSagIsADagAndReferenceSagIsAForestOfFirstThreePatches() {
        // One root of four patches; partial credit keeps nodes of 2 and 3 patches above the 0.4 expansion threshold.
        MaskedConfidence f = confidence(PatchRuleClassifier.dnf(GRID, PatchSet.of(1, 2, 3, 4)));
        List<PatchSet> roots = List.of(PatchSet.of(1, 2, 3, 4));

        Sag dag = SagBuilder.build(roots, f, 0.4, SearchMode.DEFAULT, 100);
        Set<PatchSet> dagSets = new HashSet<>();
        dag.nodes().forEach(n -> dagSets.add(n.patches()));
        assertEquals(15, dag.nodes().size(), "every non-empty subset of {1,2,3,4} once");
        assertEquals(15, dagSets.size());
        assertEquals(4 + 4 * 3 + 6 * 2, dag.edges().size());

        Sag forest = SagBuilder.build(roots, f, 0.4, SearchMode.REFERENCE, 100);
        assertEquals(1 + 3 + 9 + 18, forest.nodes().size());
        assertEquals(forest.nodes().size() - 1, forest.edges().size(), "a tree: one parent per node");
        assertTrue(forest.edges().stream().noneMatch(e -> e.parent() == 0 && e.removedPatch() == 4),
                "the reference removes only the first three patches of a node");
        assertFalse(dag.truncated() || forest.truncated());

        Sag limited = SagBuilder.build(roots, f, 0.4, SearchMode.DEFAULT, 12);
        assertTrue(limited.truncated());
        assertEquals(1 + 4 + 6, limited.nodes().size(), "the third layer would pass 12 nodes, so it is not added");
        assertEquals(dag.nodes().subList(0, 11), limited.nodes());

        for (Sag sag : List.of(dag, forest)) {
            for (Sag.Node node : sag.nodes()) {
                assertEquals(f.relative(node.patches()), node.relative(), 0.0);
            }
            for (Sag.Edge edge : sag.edges()) {
                Sag.Node parent = sag.nodes().get(edge.parent());
                Sag.Node child = sag.nodes().get(edge.child());
                assertEquals(parent.patches().without(edge.removedPatch()), child.patches());
            }
        }
    }

    @Test
    void referenceModeKeepsOneMoreSetAndDuplicatesInTheBeam() {
        // Patches 0 and 1 weigh most, so {0,1}, reached from both {0} and {1}, heads level 2.
        PatchRuleClassifier classifier = new PatchRuleClassifier(GRID, visible -> {
            if (visible.size() == 49) {
                return 0.9;
            }
            double p = 0.05 + 0.3 * visible.overlap(PatchSet.of(0, 1)) + 0.01 * visible.overlap(PatchSet.of(5, 6, 7));
            return Math.min(0.7, p);
        });
        SearchParameters limited = new SearchParameters(3, 15, 10, 0.9, 3, SearchMode.DEFAULT, Minimality.GREEDY);
        BeamSearch.Result plain = BeamSearch.findExplanations(confidence(classifier), ranking(0, 1, 5, 6, 7), limited);
        BeamSearch.Result reference = BeamSearch.findExplanations(confidence(classifier), ranking(0, 1, 5, 6, 7),
                new SearchParameters(3, 15, 10, 0.9, 3, SearchMode.REFERENCE, Minimality.GREEDY));
        assertEquals(List.of(PatchSet.of(0), PatchSet.of(1), PatchSet.of(5)), plain.beams().get(0));
        assertEquals(List.of(PatchSet.of(0), PatchSet.of(1), PatchSet.of(5), PatchSet.of(6)), reference.beams().get(0));
        List<PatchSet> plainLevel2 = plain.beams().get(1);
        List<PatchSet> referenceLevel2 = reference.beams().get(1);
        assertEquals(3, new HashSet<>(plainLevel2).size());
        assertEquals(PatchSet.of(0, 1), plainLevel2.get(0));
        assertEquals(List.of(PatchSet.of(0, 1), PatchSet.of(0, 1)), referenceLevel2.subList(0, 2));
        assertEquals(4, referenceLevel2.size());
    }

    @Test
    void exactMinimalityFindsASmallerSetWhereGreedyStopsAtOneMinimal() {
        // Not monotone (real networks are not either): {0,1,2} and {0} are sufficient, no pair is.
        PatchRuleClassifier classifier = new PatchRuleClassifier(GRID, visible -> {
            if (visible.size() == 49 || visible.equals(PatchSet.of(0, 1, 2)) || visible.equals(PatchSet.of(0))) {
                return 0.9;
            }
            return 0.1;
        });
        MaskedConfidence f = confidence(classifier);
        assertEquals(PatchSet.of(0, 1, 2), Minimality.GREEDY.minimize(PatchSet.of(0, 1, 2), f, 0.9));
        assertEquals(PatchSet.of(0), Minimality.EXACT.minimize(PatchSet.of(0, 1, 2), f, 0.9));
    }

    @Test
    void greedyPassWalksPatchesInIndexOrderAndRepeats() {
        // Sufficient when {3} or {1,2} is shown: from {1,2,3} the walk drops 1 first ({2,3} still holds 3), then 2.
        MaskedConfidence f = confidence(PatchRuleClassifier.dnf(GRID, PatchSet.of(3), PatchSet.of(1, 2)));
        assertEquals(PatchSet.of(3), Minimality.GREEDY.minimize(PatchSet.of(1, 2, 3), f, 0.9));
        // From {2,3,1} order does not matter to a set: same answer; from {1,2,4} only {1,2} remains.
        assertEquals(PatchSet.of(1, 2), Minimality.GREEDY.minimize(PatchSet.of(1, 2, 4), f, 0.9));
    }

    @Test
    void cacheMakesEverySetCostOneModelEvaluation() {
        PatchRuleClassifier classifier = PatchRuleClassifier.dnf(GRID, PatchSet.of(10));
        MaskedConfidence f = confidence(classifier);
        f.confidences(List.of(PatchSet.of(1), PatchSet.of(2), PatchSet.of(1)));
        f.confidences(List.of(PatchSet.of(2), PatchSet.of(3)));
        EvaluationStats.Snapshot stats = f.stats().snapshot();
        assertEquals(3, stats.forwardPasses(), "{1}, {2}, {3} once each");
        assertEquals(2, stats.cacheHits());
        assertNotEquals(0, stats.batches());
    }

    @Test
    void smallestSufficientSizeByBeamAndByInsertion() {
        MaskedConfidence f = confidence(PatchRuleClassifier.dnf(GRID, PatchSet.of(30, 31, 32)));
        assertEquals(3, BeamSearch.smallestSufficientSize(f, ranking(30, 31, 32), 3, 15, 0.9, 49).getAsInt());
        assertEquals(5, BeamSearch.smallestSufficientPrefix(f, ranking(30, 31, 7, 8, 32), 0.9).getAsInt());
        assertTrue(BeamSearch.smallestSufficientSize(f, ranking(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                3, 3, 0.9, 2).isEmpty());
    }
}
