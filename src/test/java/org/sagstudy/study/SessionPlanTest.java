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

class SessionPlanTest {

    /** 2 practice items, 3 photos with 2 questions each (ids 10..15), 2 attention checks, 1 example. */
    private static List<SessionPlan.PlanItem> items() {
        List<SessionPlan.PlanItem> items = new ArrayList<>();
        items.add(new SessionPlan.PlanItem(1, ItemBuilder.Kind.PRACTICE, 9, Side.LEFT));
        items.add(new SessionPlan.PlanItem(2, ItemBuilder.Kind.PRACTICE, 9, Side.RIGHT));
        for (int i = 0; i < 6; i++) {
            items.add(new SessionPlan.PlanItem(10 + i, ItemBuilder.Kind.TRIAL, 100 + i / 2,
                    i % 3 == 0 ? Side.LEFT : Side.RIGHT));
        }
        items.add(new SessionPlan.PlanItem(20, ItemBuilder.Kind.ATTENTION, 100, Side.LEFT));
        items.add(new SessionPlan.PlanItem(21, ItemBuilder.Kind.ATTENTION, 101, Side.RIGHT));
        items.add(new SessionPlan.PlanItem(30, ItemBuilder.Kind.EXAMPLE, 9, Side.LEFT));
        return items;
    }

    @Test
    void practiceFirstPhotosTogetherChecksBetweenPhotosSidesBalanced() {
        Map<Long, SessionPlan.PlanItem> byId = items().stream()
                .collect(Collectors.toMap(SessionPlan.PlanItem::itemId, Function.identity()));
        Set<List<Long>> orders = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            List<SessionPlan.Trial> plan = SessionPlan.draw(items(), seed);
            List<Long> ids = plan.stream().map(SessionPlan.Trial::itemId).toList();
            orders.add(ids);
            assertEquals(10, plan.size(), "every item but the example, once");
            assertEquals(10, new HashSet<>(ids).size());
            assertEquals(Set.of(1L, 2L), Set.copyOf(ids.subList(0, 2)));
            List<SessionPlan.PlanItem> main = ids.subList(2, 10).stream().map(byId::get).toList();
            assertTrue(main.get(0).kind() == ItemBuilder.Kind.TRIAL, "a check never opens the trials");
            List<Long> photoOrder = new ArrayList<>();
            for (SessionPlan.PlanItem item : main) {
                if (item.kind() == ItemBuilder.Kind.TRIAL
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

    private static long shownLeftCorrect(List<SessionPlan.Trial> trials, Map<Long, SessionPlan.PlanItem> byId) {
        return trials.stream().filter(t -> (byId.get(t.itemId()).correctSide() == Side.LEFT) != t.mirrored())
                .count();
    }
}
