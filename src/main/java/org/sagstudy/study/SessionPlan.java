package org.sagstudy.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A participant's order of items, drawn from the session's seed: practice first, then the photos in random order
 * with their questions together (in random order), attention checks spread between photos. The correct option is
 * shown on the left in half of the practice items and half of the others, so neither side pays off.
 */
public final class SessionPlan {

    /** {@code mirrored}: the item's left option is shown on the right. */
    public record Trial(long itemId, boolean mirrored) {
    }

    private SessionPlan() {
    }

    public static List<Trial> draw(List<StudyItem> items, long seed) {
        Random random = new KeyedRandom(seed);
        List<StudyItem> practice = new ArrayList<>();
        List<StudyItem> attention = new ArrayList<>();
        Map<Long, List<StudyItem>> byImage = new LinkedHashMap<>();
        for (StudyItem item : items) {
            switch (item.kind()) {
                case PRACTICE -> practice.add(item);
                case ATTENTION -> attention.add(item);
                case TRIAL -> byImage.computeIfAbsent(item.imageId(), id -> new ArrayList<>()).add(item);
                case EXAMPLE -> {
                    // shown with its answer in the instructions, never asked
                }
            }
        }
        Collections.shuffle(practice, random);
        Collections.shuffle(attention, random);
        List<List<StudyItem>> photos = new ArrayList<>(byImage.values());
        Collections.shuffle(photos, random);
        photos.forEach(questions -> Collections.shuffle(questions, random));

        List<StudyItem> main = new ArrayList<>();
        int checksPlaced = 0;
        for (int photo = 0; photo < photos.size(); photo++) {
            main.addAll(photos.get(photo));
            // after photo p, the checks k with floor(k * photos / (checks + 1)) == p + 1 (spread evenly)
            while (checksPlaced < attention.size()
                    && (long) (checksPlaced + 1) * photos.size() / (attention.size() + 1) <= photo + 1
                    && photo + 1 < photos.size()) {
                main.add(attention.get(checksPlaced++));
            }
        }
        main.addAll(attention.subList(checksPlaced, attention.size()));

        List<Trial> trials = new ArrayList<>(placed(practice, random));
        trials.addAll(placed(main, random));
        return trials;
    }

    private static List<Trial> placed(List<StudyItem> items, Random random) {
        List<Side> correctShown = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            correctShown.add(i % 2 == 0 ? Side.LEFT : Side.RIGHT);
        }
        Collections.shuffle(correctShown, random);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            trials.add(new Trial(items.get(i).id(), items.get(i).correctSide() != correctShown.get(i)));
        }
        return trials;
    }
}
