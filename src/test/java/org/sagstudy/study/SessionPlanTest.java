package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.PatchSet;

class SessionPlanTest {

    /** 2 practice items, 3 photos with 2 questions each (ids 10..15), 2 attention checks, 1 example. */
    private static StudyItem item(long id, ItemKind kind, long imageId, Side correctSide) {
        return new StudyItem(id, kind, QuestionKind.NEITHER_RANDOM, imageId, 1, PatchSet.of(1), PatchSet.of(2),
                correctSide == Side.LEFT ? 0.9 : 0.1, correctSide == Side.LEFT ? 0.1 : 0.9, correctSide, false, false,
                "label");
    }

    private static List<StudyItem> items() {
        List<StudyItem> items = new ArrayList<>();
        items.add(item(1, ItemKind.PRACTICE, 9, Side.LEFT));
        items.add(item(2, ItemKind.PRACTICE, 9, Side.RIGHT));
        for (int i = 0; i < 6; i++) {
            items.add(item(10 + i, ItemKind.TRIAL, 100 + i / 2,
                    i % 3 == 0 ? Side.LEFT : Side.RIGHT));
        }
        items.add(item(20, ItemKind.ATTENTION, 100, Side.LEFT));
        items.add(item(21, ItemKind.ATTENTION, 101, Side.RIGHT));
        items.add(item(30, ItemKind.EXAMPLE, 9, Side.LEFT));
        return items;
    }

    @Test
    void practiceFirstPhotosTogetherChecksBetweenPhotosSidesBalanced() {
        Map<Long, StudyItem> byId = items().stream()
                .collect(Collectors.toMap(StudyItem::id, Function.identity()));
        Set<List<Long>> orders = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            List<SessionPlan.Trial> plan = SessionPlan.draw(items(), seed);
            List<Long> ids = plan.stream().map(SessionPlan.Trial::itemId).toList();
            orders.add(ids);
            assertEquals(10, plan.size(), "every item but the example, once");
            assertEquals(10, new HashSet<>(ids).size());
            assertEquals(Set.of(1L, 2L), Set.copyOf(ids.subList(0, 2)));
            List<StudyItem> main = ids.subList(2, 10).stream().map(byId::get).toList();
            assertTrue(main.get(0).kind() == ItemKind.TRIAL, "a check never opens the trials");
            List<Long> photoOrder = new ArrayList<>();
            for (StudyItem item : main) {
                if (item.kind() == ItemKind.TRIAL
                        && (photoOrder.isEmpty() || photoOrder.get(photoOrder.size() - 1) != item.imageId())) {
                    photoOrder.add(item.imageId());
                }
            }
            assertEquals(3, photoOrder.size(), "a photo's questions come together: " + main);
            assertEquals(1, shownLeftCorrect(plan.subList(0, 2), byId));
            assertEquals(4, shownLeftCorrect(plan.subList(2, 10), byId));
            assertEquals(plan, SessionPlan.draw(items(), seed), "the seed decides everything");
        }
        assertTrue(orders.size() > 50, "orders differ between seeds (192 are possible): " + orders.size());
        assertNotEquals(SessionPlan.draw(items(), 1), SessionPlan.draw(items(), 2));
    }

    private static long shownLeftCorrect(List<SessionPlan.Trial> trials, Map<Long, StudyItem> byId) {
        return trials.stream().filter(t -> (byId.get(t.itemId()).correctSide() == Side.LEFT) != t.mirrored())
                .count();
    }
}
