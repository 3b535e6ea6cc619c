package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.EvaluationStats;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.MaskedConfidence;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.PatchRuleClassifier;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Prediction;
import org.sagstudy.explain.Sag;
import org.sagstudy.explain.SagBuilder;
import org.sagstudy.explain.SearchMode;

/** The SAG participants see in the paper's style is the engine's reference-mode forest, cut to the design. */
class ShownSagTest {

    private static final PatchGrid GRID = PatchGrid.paper();
    private static final ImageTensor WHITE = PatchRuleClassifier.whiteImage(224);
    private static final PatchSet FOUR = PatchSet.of(1, 2, 3, 4);
    private static final PatchSet THREE = PatchSet.of(20, 21, 22);
    private static final PatchRuleClassifier CLASSIFIER = PatchRuleClassifier.dnf(GRID, FOUR, THREE);

    private static MaskedConfidence confidence() {
        return new MaskedConfidence(CLASSIFIER, WHITE, Baseline.BLACK.imageFor(WHITE), GRID,
                Prediction.of(CLASSIFIER, WHITE), new EvaluationStats());
    }

    /** A forest node with the root of its tree. */
    private record Placed(long root, long patches) {
    }

    /**
     * What a cut must keep, from the forest's definition alone: the nodes of the first {@code roots} trees whose
     * depth (patches removed from their root) is at most {@code depth}.
     */
    private static List<Placed> expected(Sag forest, int roots, int depth) {
        Map<Integer, Integer> parent = new HashMap<>();
        forest.edges().forEach(e -> parent.put(e.child(), e.parent()));
        List<Integer> firstRoots = forest.nodes().stream().filter(Sag.Node::root).limit(roots).map(Sag.Node::id)
                .toList();
        List<Placed> kept = new ArrayList<>();
        for (Sag.Node node : forest.nodes()) {
            int top = node.id();
            while (parent.containsKey(top)) {
                top = parent.get(top);
            }
            Sag.Node root = forest.nodes().get(top);
            if (firstRoots.contains(top) && root.patches().size() - node.patches().size() <= depth) {
                kept.add(new Placed(root.patches().bits(), node.patches().bits()));
            }
        }
        return sorted(kept);
    }

    private static List<Placed> placed(Sag sag) {
        Map<Integer, Integer> parent = new HashMap<>();
        sag.edges().forEach(e -> parent.put(e.child(), e.parent()));
        List<Placed> placed = new ArrayList<>();
        for (Sag.Node node : sag.nodes()) {
            int top = node.id();
            while (parent.containsKey(top)) {
                top = parent.get(top);
            }
            placed.add(new Placed(sag.nodes().get(top).patches().bits(), node.patches().bits()));
        }
        return sorted(placed);
    }

    private static List<Placed> sorted(List<Placed> placed) {
        return placed.stream().sorted(Comparator.comparingLong(Placed::root).thenComparingLong(Placed::patches))
                .toList();
    }

    @Test
    void paperStyleIsTheReferenceForestCutToRootsAndDepth() {
        Sag forest = SagBuilder.build(List.of(FOUR, THREE), confidence(), 0.4, SearchMode.REFERENCE, 400);
        for (int roots = 1; roots <= 2; roots++) {
            for (int depth = 0; depth <= 3; depth++) {
                Sag shown = ShownSag.paper(forest, roots, depth);
                assertEquals(expected(forest, roots, depth), placed(shown), roots + " roots, depth " + depth);
                assertEquals(shown.nodes().size() - roots, shown.edges().size(), "a forest: one parent per node");
                for (Sag.Edge edge : shown.edges()) {
                    assertEquals(shown.nodes().get(edge.parent()).patches().without(edge.removedPatch()),
                            shown.nodes().get(edge.child()).patches());
                }
                Map<Integer, List<Integer>> removedByParent = new HashMap<>();
                shown.edges().forEach(e -> removedByParent.computeIfAbsent(e.parent(), p -> new ArrayList<>())
                        .add(e.removedPatch()));
                removedByParent.values().forEach(removed -> {
                    assertTrue(removed.size() <= 3, "at most three children: " + removed);
                    assertEquals(removed.stream().sorted().toList(), removed, "children in patch order");
                });
            }
        }
        // the four-patch root: 3 children, each with 3 of its own (of which the 2-patch nodes keep 50% > 40%)
        assertEquals(1 + 3 + 9, ShownSag.paper(forest, 1, 2).nodes().size());
    }

    @Test
    void theDagStyleKeepsTheStrongestChildrenInstead() {
        Sag dag = SagBuilder.build(List.of(FOUR, THREE), confidence(), 0.4, SearchMode.DEFAULT, 100);
        Sag shown = ShownSag.of(dag, 2, 1, 2);
        assertEquals(2 + 2 + 2, shown.nodes().size(), "each root with its two strongest children");
    }

    @Test
    void everyExplanationCarriesThePaperForestOfItsShownRoots() {
        int[] ranking = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(1, 2, 3, 4, 20, 21, 22),
                java.util.stream.IntStream.range(0, 49).filter(p -> !FOUR.contains(p) && !THREE.contains(p)))
                .toArray();
        Explanation explanation = new Explainer(CLASSIFIER, ExplainParameters.PAPER.withHeatMaps(false))
                .explain(WHITE, ranking);
        List<PatchSet> shownRoots = explanation.sag().roots();
        assertEquals(2, shownRoots.size());
        Sag reference = SagBuilder.build(shownRoots, confidence(), 0.4, SearchMode.REFERENCE, 400);
        assertEquals(reference.nodes(), explanation.paperSag().nodes());
        assertEquals(reference.edges(), explanation.paperSag().edges());
    }
}
