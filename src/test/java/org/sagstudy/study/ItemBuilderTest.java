package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;

/** Question selection on a hand-made SAG whose confidences are all known. */
class ItemBuilderTest {

    /** Two roots; root {1,2,3} has children with drops .65, .15, .85; root {10,11} drops .87 and .22. */
    static Sag fullSag() {
        List<Sag.Node> nodes = List.of(
                node(0, .95, true, 1, 2, 3), node(1, .30, false, 2, 3), node(2, .80, false, 1, 3),
                node(3, .10, false, 1, 2), node(4, .92, true, 10, 11), node(5, .05, false, 11),
                node(6, .70, false, 10));
        List<Sag.Edge> edges = List.of(new Sag.Edge(0, 1, 1, .65), new Sag.Edge(0, 2, 2, .15),
                new Sag.Edge(0, 3, 3, .85), new Sag.Edge(4, 5, 10, .87), new Sag.Edge(4, 6, 11, .22));
        return new Sag(nodes, edges, List.of(PatchSet.of(1, 2, 3), PatchSet.of(10, 11)), false);
    }

    private static Sag.Node node(int id, double confidence, boolean root, int... patches) {
        return new Sag.Node(id, PatchSet.of(patches), confidence, confidence, root);
    }

    /** The random options drawn for a photo (sizes 3, 2 and 1, like the nodes). */
    static final List<PatchSet> RANDOM = List.of(PatchSet.of(20, 21, 22), PatchSet.of(30, 31, 32), PatchSet.of(40, 41),
            PatchSet.of(42, 43), PatchSet.of(44), PatchSet.of(45));
    /** Sets the search evaluated, neither nodes nor random. */
    static final List<PatchSet> SEARCHED = List.of(PatchSet.of(25, 26, 27), PatchSet.of(35, 36, 37));

    static ItemBuilder.ExplainedImage image(long id, int children) {
        Sag full = fullSag();
        Map<PatchSet, Double> known = new HashMap<>();
        full.nodes().forEach(n -> known.put(n.patches(), n.confidence()));
        known.put(PatchSet.of(20, 21, 22), .20);
        known.put(PatchSet.of(30, 31, 32), .85);
        known.put(PatchSet.of(40, 41), .50);
        known.put(PatchSet.of(42, 43), .10);
        known.put(PatchSet.of(44), .02);
        known.put(PatchSet.of(45), .60);
        known.put(PatchSet.of(25, 26, 27), .75);
        known.put(PatchSet.of(35, 36, 37), .15);
        known.put(PatchSet.all(49), 1.0);
        return new ItemBuilder.ExplainedImage(id, 100 + id, 1.0, ShownSag.of(full, 3, 1, children), known, RANDOM);
    }

    private static StudyDesign design(int questions, int practice, int attention, long seed) {
        return design(questions, practice, attention, seed, StudyDesign.DEFAULT_QUESTION_KINDS);
    }

    private static StudyDesign design(int questions, int practice, int attention, long seed,
            Map<String, Double> kinds) {
        StudyDesign d = StudyDesign.defaults();
        return new StudyDesign(d.conditions(), List.of(1L, 2L), List.of(3L), questions, 0.20, 0.8, practice,
                attention, 3, 1, 2, false, 60, d.consent(), d.instructions(), "", "", seed, "any", kinds, "dag",
                "model", false, null, null, null, null, null, null, null, null);
    }

    @Test
    void shownSagKeepsTheChildrenWithTheLargestDrops() {
        Sag shown = ShownSag.of(fullSag(), 3, 1, 2);
        Set<PatchSet> nodes = shown.nodes().stream().map(Sag.Node::patches).collect(Collectors.toSet());
        assertEquals(Set.of(PatchSet.of(1, 2, 3), PatchSet.of(1, 2), PatchSet.of(2, 3), PatchSet.of(10, 11),
                PatchSet.of(11), PatchSet.of(10)), nodes);
        assertEquals(4, shown.edges().size());
        for (Sag.Edge edge : shown.edges()) {
            assertEquals(shown.nodes().get(edge.parent()).patches().without(edge.removedPatch()),
                    shown.nodes().get(edge.child()).patches());
        }
        assertEquals(2, ShownSag.of(fullSag(), 3, 0, 2).nodes().size());
        assertEquals(4, ShownSag.of(fullSag(), 1, 1, 3).nodes().size());
    }

    @Test
    void itemsRespectTheGapRecordTheKeyAndMembershipAndBalanceTheSides() {
        ItemBuilder.ExplainedImage first = image(1, 2);
        ItemBuilder.ExplainedImage second = image(2, 2);
        ItemBuilder.Plan plan = new ItemBuilder(design(4, 2, 2, 7)).build(List.of(first, second),
                List.of(image(3, 2)));
        assertEquals(List.of(), plan.problems());
        List<ItemBuilder.Item> trials = plan.items().stream().filter(i -> i.kind() == ItemKind.TRIAL)
                .toList();
        assertEquals(8, trials.size());
        for (ItemBuilder.Item item : plan.items()) {
            assertTrue(Math.abs(item.leftConfidence() - item.rightConfidence()) >= 0.20, item.toString());
            assertEquals(item.image().known().get(item.left()), item.leftConfidence());
            assertEquals(item.image().known().get(item.right()), item.rightConfidence());
            Set<PatchSet> shown = item.image().shownSag().nodes().stream().map(Sag.Node::patches)
                    .collect(Collectors.toSet());
            assertEquals(shown.contains(item.left()), item.leftInSag());
            assertEquals(shown.contains(item.right()), item.rightInSag());
        }
        // {1,3} is in the full SAG but not in the one shown (its drop is the smallest)
        assertFalse(new ItemBuilder.Item(ItemKind.TRIAL, QuestionKind.NEITHER_SEARCHED, first,
                PatchSet.of(1, 3), PatchSet.of(44), .8, .02).leftInSag());
        long left = trials.stream().filter(i -> i.correctSide() == Side.LEFT).count();
        assertEquals(4, left, "the correct option is on the left in half of the trials");
        Map<QuestionKind, Long> byKind = trials.stream().collect(Collectors.groupingBy(ItemBuilder.Item::questionKind,
                Collectors.counting()));
        assertEquals(Map.of(QuestionKind.BOTH_IN_SAG, 3L, QuestionKind.ONE_IN_SAG, 3L, QuestionKind.NEITHER_RANDOM,
                2L), byKind, "thirds of 8 questions, by largest remainder");
        trials.forEach(ItemBuilderTest::obeysItsKind);
        assertEquals(2, plan.items().stream().filter(i -> i.kind() == ItemKind.PRACTICE).count());
        assertEquals(1, plan.items().stream().filter(i -> i.kind() == ItemKind.EXAMPLE).count());
    }

    @Test
    void attentionChecksAreTwoViewsOfOneSizeThatAPatchCountCannotTellApart() {
        ItemBuilder.Plan plan = new ItemBuilder(design(2, 0, 3, 1)).build(List.of(image(1, 2), image(2, 2)),
                List.of());
        List<ItemBuilder.Item> checks = plan.items().stream().filter(i -> i.kind() == ItemKind.ATTENTION)
                .toList();
        assertEquals(2, checks.size(), "one check per photo, never the same question twice");
        assertEquals(List.of("only 2 photo(s) have two views with the same number of patches whose confidences "
                + "differ by at least 50 points, one attention check each (need 3); lower the attention checks or "
                + "add photos"), plan.problems());
        for (ItemBuilder.Item check : checks) {
            assertEquals(check.left().size(), check.right().size(), "the patch count tells nothing");
            Map<PatchSet, Double> known = check.image().known();
            double largest = 0;
            for (PatchSet a : known.keySet()) {
                for (PatchSet b : known.keySet()) {
                    if (a.size() == b.size() && a.size() < 49) {
                        largest = Math.max(largest, known.get(a) - known.get(b));
                    }
                }
            }
            assertEquals(largest, Math.abs(check.leftConfidence() - check.rightConfidence()), 1e-12,
                    "the clearest pair of one size");
            assertTrue(largest >= ItemBuilder.ATTENTION_GAP);
        }
        assertEquals(Set.of(1L, 2L), checks.stream().map(c -> c.image().imageId()).collect(Collectors.toSet()));
    }

    @Test
    void withoutPracticePhotosTheWorkedExampleIsNotAskedAgain() {
        ItemBuilder.ExplainedImage first = image(1, 2);
        ItemBuilder.Plan plan = new ItemBuilder(design(6, 0, 0, 3)).build(List.of(first, image(2, 2)), List.of());
        ItemBuilder.Item example = plan.items().stream().filter(i -> i.kind() == ItemKind.EXAMPLE)
                .findFirst().orElseThrow();
        assertEquals(first, example.image());
        for (ItemBuilder.Item item : plan.items()) {
            if (item.kind() == ItemKind.TRIAL && item.image() == first) {
                assertFalse(Set.of(example.left(), example.right()).contains(item.left()), item.toString());
                assertFalse(Set.of(example.left(), example.right()).contains(item.right()), item.toString());
            }
        }
    }

    /** Both options are nodes, one is (the other random), or neither is (both random, or both searched). */
    static void obeysItsKind(ItemBuilder.Item item) {
        boolean left = item.leftInSag();
        boolean right = item.rightInSag();
        switch (item.questionKind()) {
            case BOTH_IN_SAG -> assertTrue(left && right, item.toString());
            case ONE_IN_SAG -> {
                assertTrue(left != right, item.toString());
                assertTrue(RANDOM.contains(left ? item.right() : item.left()), "the other option is random: " + item);
                PatchSet node = left ? item.left() : item.right();
                PatchSet other = left ? item.right() : item.left();
                assertTrue(other.size() >= node.size(), "the random option is at least the node's size: " + item);
            }
            case NEITHER_RANDOM -> assertTrue(!left && !right && RANDOM.contains(item.left())
                    && RANDOM.contains(item.right()), item.toString());
            case NEITHER_SEARCHED -> assertTrue(!left && !right && SEARCHED.contains(item.left())
                    && SEARCHED.contains(item.right()), item.toString());
            case PARENT_CHILD -> assertTrue(left && right && Math.abs(item.left().size() - item.right().size()) == 1
                    && (item.left().isSubsetOf(item.right()) || item.right().isSubsetOf(item.left())),
                    item.toString());
            default -> throw new AssertionError("not a trial kind: " + item);
        }
        if (item.questionKind() != QuestionKind.PARENT_CHILD && item.questionKind() != QuestionKind.ONE_IN_SAG) {
            assertEquals(item.left().size(), item.right().size(), "options of one size: " + item);
        }
    }

    @Test
    void everyKindOfTheMixObeysItsDefinitionAndGetsItsShare() {
        Map<String, Double> everything = Map.of("both-in-sag", 1.0, "one-in-sag", 2.0, "neither-random", 1.0,
                "neither-searched", 0.5, "parent-child", 0.5);
        List<ItemBuilder.ExplainedImage> photos = List.of(image(1, 2), image(2, 2), image(3, 2));
        ItemBuilder.Plan plan = new ItemBuilder(design(4, 0, 0, 11, everything)).build(photos, List.of());
        assertEquals(List.of(), plan.problems());
        List<ItemBuilder.Item> trials = plan.items().stream().filter(i -> i.kind() == ItemKind.TRIAL).toList();
        trials.forEach(ItemBuilderTest::obeysItsKind);
        Map<QuestionKind, Long> byKind = trials.stream().collect(Collectors.groupingBy(ItemBuilder.Item::questionKind,
                Collectors.counting()));
        // 12 questions in shares 1 : 2 : 1 : 0.5 : 0.5 of 5 -> 2.4, 4.8, 2.4, 1.2, 1.2; the two left over go to the
        // largest remainders (.8, then the first of the .4s) -> 3, 5, 2, 1, 1
        assertEquals(Map.of(QuestionKind.BOTH_IN_SAG, 3L, QuestionKind.ONE_IN_SAG, 5L, QuestionKind.NEITHER_RANDOM,
                2L, QuestionKind.NEITHER_SEARCHED, 1L, QuestionKind.PARENT_CHILD, 1L), byKind);
        assertEquals(Map.of(QuestionKind.BOTH_IN_SAG, 3, QuestionKind.ONE_IN_SAG, 5, QuestionKind.NEITHER_RANDOM, 2,
                QuestionKind.NEITHER_SEARCHED, 1, QuestionKind.PARENT_CHILD, 1), ItemBuilder.quotas(
                design(4, 0, 0, 11, everything).questionMix(), 12));
    }

    @Test
    void theNodeIsTheRightAnswerInHalfOfTheOneInSagQuestions() {
        List<ItemBuilder.ExplainedImage> photos = List.of(image(1, 2), image(2, 2), image(3, 2), image(4, 2));
        ItemBuilder.Plan plan = new ItemBuilder(design(2, 0, 0, 5, Map.of("one-in-sag", 1.0)))
                .build(photos, List.of());
        assertEquals(List.of(), plan.problems());
        List<ItemBuilder.Item> trials = plan.items().stream().filter(i -> i.kind() == ItemKind.TRIAL).toList();
        long nodeCorrect = trials.stream().filter(i -> i.leftInSag() == (i.correctSide() == Side.LEFT)).count();
        assertEquals(8, trials.size());
        assertEquals(4, nodeCorrect, "half of the node questions have the random option as the answer");

        // random options that never beat a node: the imbalance is a problem, with the counts
        List<ItemBuilder.ExplainedImage> weak = photos.stream().map(p -> {
            Map<PatchSet, Double> known = new HashMap<>(p.known());
            RANDOM.forEach(set -> known.put(set, 0.01));
            return new ItemBuilder.ExplainedImage(p.imageId(), p.explanationId(), p.pFull(), p.shownSag(), known,
                    p.randomSets());
        }).toList();
        ItemBuilder.Plan onesided = new ItemBuilder(design(2, 0, 0, 5, Map.of("one-in-sag", 1.0)))
                .build(weak, List.of());
        assertTrue(onesided.problems().stream().anyMatch(p -> p.startsWith("one-in-sag: the SAG node would be the "
                + "right answer in 8 of 8 questions")), onesided.problems().toString());
    }

    @Test
    void tooFewPairsIsReportedNotPadded() {
        ItemBuilder.Plan plan = new ItemBuilder(design(20, 0, 0, 1)).build(List.of(image(1, 2)), List.of());
        assertTrue(plan.problems().get(0).startsWith("photo 1: only "), plan.problems().get(0));
        assertTrue(plan.problems().get(0).endsWith("(need 20)"));
        assertTrue(plan.problems().stream().anyMatch(p -> p.contains("of kind neither-random could not be built")),
                plan.problems().toString());
    }

    @Test
    void theSameSeedGivesTheSameItems() {
        List<ItemBuilder.ExplainedImage> photos = List.of(image(1, 2), image(2, 2));
        assertEquals(describe(new ItemBuilder(design(3, 0, 1, 5)).build(photos, List.of())),
                describe(new ItemBuilder(design(3, 0, 1, 5)).build(photos, List.of())));
    }

    private static List<String> describe(ItemBuilder.Plan plan) {
        return plan.items().stream().map(i -> i.kind() + " " + i.left() + " " + i.right()).toList();
    }

    @Test
    void designProblemsAreSentences() {
        StudyDesign d = StudyDesign.defaults();
        StudyDesign bad = new StudyDesign(List.of("sag", "heatmap"), List.of(1L), List.of(1L), 0, 1.5, 0.8, 2, 2, 3,
                2, 2, false, 60, "", "", "", "ftp://x", 1, "any", Map.of("both-in-sag", 1.0, "lookups", 1.0), "tree",
                "model", false, List.of("neither-random", "guesses"), new StudyDesign.Exclusions(-1, 0, true, true),
                0.5, null, null, null, null, null);
        List<String> problems = bad.problems();
        assertTrue(problems.contains("unknown condition 'heatmap' (gradcam, igos, sag or none)"), problems.toString());
        assertTrue(problems.contains("photos [1] are chosen for both trials and practice"));
        assertTrue(problems.contains("questions per photo must be 1 to 20 (is 0)"));
        assertTrue(problems.contains("the minimum confidence gap must be above 0 and below 1 (0.20 = 20 points)"));
        assertTrue(problems.contains("the redirect URL must start with https:// or http://"));
        assertTrue(problems.contains("the consent text is empty"));
        assertTrue(problems.contains("the SAG shown must be paper or dag"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("unknown question kind 'lookups'")));
        assertTrue(problems.contains("unknown primary question kind 'guesses'"), problems.toString());
        assertTrue(problems.contains("the primary kind neither-random has no share in the question mix"));
        assertTrue(problems.contains("the exclusion rules' numbers must be at least 0"));
        assertTrue(problems.contains("the equivalence margin must be above 0 and below 0.5 (0.05 = 5 points)"));
        StudyDesign lookUpsOnly = design(2, 2, 2, 1, Map.of("both-in-sag", 1.0));
        assertTrue(lookUpsOnly.problems().get(0).startsWith("the primary outcome needs a question kind"),
                lookUpsOnly.problems().toString());
        assertEquals(List.of(), design(2, 2, 2, 1).problems());
        assertEquals(List.of("practice items need at least one practice photo (or set practice items to 0)"),
                d.problems(), "a new study's only problem is that it has no photos yet");
    }
}
