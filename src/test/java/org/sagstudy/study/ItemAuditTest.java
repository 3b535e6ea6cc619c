package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.PatchSet;

/** The item audit on hand-made questions whose strategy scores are counted by hand. */
class ItemAuditTest {

    private static ItemAudit.AuditedItem item(QuestionKind kind, PatchSet left, PatchSet right, Side correct,
            boolean leftInSag, boolean rightInSag, double gap, double leftHeat, double rightHeat) {
        return new ItemAudit.AuditedItem(kind, left, right, correct, leftInSag, rightInSag, gap, leftHeat, rightHeat,
                rightHeat, leftHeat);
    }

    @Test
    void strategiesScoreOneForRightHalfForTiesZeroForWrong() {
        List<ItemAudit.AuditedItem> items = List.of(
                // node left and right answer; left bigger and hotter in Grad-CAM, colder in I-GOS
                item(QuestionKind.ONE_IN_SAG, PatchSet.of(1, 2, 3), PatchSet.of(4, 5), Side.LEFT, true, false, 0.3,
                        2.0, 1.0),
                // node left but the random set is right: node strategy wrong
                item(QuestionKind.ONE_IN_SAG, PatchSet.of(1, 2), PatchSet.of(10, 11, 12, 13), Side.RIGHT, true,
                        false, 0.5, 1.0, 1.0),
                // same size, equal heat: every strategy ties
                item(QuestionKind.NEITHER_RANDOM, PatchSet.of(1, 2), PatchSet.of(3, 4), Side.LEFT, false, false,
                        0.2, 1.0, 1.0),
                item(QuestionKind.NEITHER_RANDOM, PatchSet.of(5, 6), PatchSet.of(7, 8), Side.RIGHT, false, false,
                        0.6, 3.0, 1.0));
        ItemAudit audit = ItemAudit.of(items, List.of(QuestionKind.NEITHER_RANDOM));
        ItemAudit.KindAudit oneInSag = audit.kinds().get(0);
        assertEquals("one-in-sag", oneInSag.kind());
        assertEquals(2, oneInSag.nodeQuestions());
        assertEquals(0.5, oneInSag.nodeCorrectShare(), 1e-12);
        assertEquals((1 + 1) / 2.0, oneInSag.strategy(ItemAudit.Strategy.MORE_PATCHES), 1e-12);
        assertEquals((1 + 0.5) / 2.0, oneInSag.strategy(ItemAudit.Strategy.MORE_GRADCAM_HEAT), 1e-12);
        assertEquals((0 + 0.5) / 2.0, oneInSag.strategy(ItemAudit.Strategy.MORE_IGOS_HEAT), 1e-12);
        assertEquals((1 + 0) / 2.0, oneInSag.strategy(ItemAudit.Strategy.SAG_NODE), 1e-12);
        assertEquals(0.5, oneInSag.strategy(ItemAudit.Strategy.CHANCE), 1e-12);
        assertArrayEquals(new double[] {2.5 + 0.25 * 0.5, 2.75, 3.0 - 0.25 * 0.5},
                oneInSag.patchQuartiles(), 1e-12, "visible patches per option: 2.5 and 3, R's type 7 quartiles");

        ItemAudit.KindAudit random = audit.kinds().get(1);
        assertTrue(random.primary());
        assertEquals(Double.NaN, random.nodeCorrectShare());
        assertEquals(0.5, random.strategy(ItemAudit.Strategy.MORE_PATCHES), 1e-12);
        assertEquals((0.5 + 0) / 2.0, random.strategy(ItemAudit.Strategy.MORE_GRADCAM_HEAT), 1e-12);
        assertArrayEquals(new double[] {0.3, 0.4, 0.5}, random.gapQuartiles(), 1e-12);
        assertEquals(ItemAudit.PRIMARY_ROW, audit.kinds().get(2).kind());
        assertEquals(List.of(), audit.refusals());
        assertEquals(ItemAudit.header().size(), audit.rows().get(0).size());
    }

    @Test
    void primaryQuestionsThatMorePatchesSolvesAreRefused() {
        List<ItemAudit.AuditedItem> items = List.of(
                item(QuestionKind.NEITHER_SEARCHED, PatchSet.of(1, 2, 3), PatchSet.of(4), Side.LEFT, false, false,
                        0.3, 1, 1),
                item(QuestionKind.NEITHER_SEARCHED, PatchSet.of(1), PatchSet.of(4, 5), Side.RIGHT, false, false,
                        0.3, 1, 1),
                item(QuestionKind.NEITHER_SEARCHED, PatchSet.of(1, 2), PatchSet.of(4, 5), Side.RIGHT, false, false,
                        0.3, 1, 1));
        List<String> refusals = ItemAudit.of(items, List.of(QuestionKind.NEITHER_SEARCHED)).refusals();
        assertEquals(1, refusals.size());
        assertTrue(refusals.get(0).startsWith("\"more patches wins\" answers 83% of the primary questions right"),
                refusals.get(0));
    }

    @Test
    void primaryKindsOfDifferentDifficultyAreRefused() {
        List<ItemAudit.AuditedItem> items = List.of(
                item(QuestionKind.NEITHER_SEARCHED, PatchSet.of(1), PatchSet.of(4), Side.LEFT, false, false, 0.8, 1,
                        1),
                item(QuestionKind.NEITHER_RANDOM, PatchSet.of(1), PatchSet.of(4), Side.LEFT, false, false, 0.3, 1,
                        1));
        List<String> refusals = ItemAudit.of(items, List.of(QuestionKind.NEITHER_SEARCHED,
                QuestionKind.NEITHER_RANDOM)).refusals();
        assertEquals(List.of("the primary kinds differ in difficulty: their median confidence gaps are 0.30 to 0.80 "
                + "(at most 0.05 apart): keep one primary kind or raise the minimum gap"), refusals);
    }
}
