package org.sagstudy.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;

/**
 * Chooses a study's questions. Every option is a patch set whose confidence the engine already computed (the SAG's
 * nodes and every masked image the search evaluated), so the answer key is known and no model runs while participants
 * answer. Pairs come in turn from the sources of {@link Source}, start at a different source for each photo, respect
 * the minimum gap, and avoid reusing an option within a photo. The correct option stands left in half the items.
 */
public final class ItemBuilder {

    /** A photo with its explanation: the SAG participants see and every patch set with a known confidence. */
    public record ExplainedImage(long imageId, long explanationId, double pFull, Sag shownSag,
            Map<PatchSet, Double> known) {
    }

    /** Where a pair comes from. */
    public enum Source {
        SIBLINGS, PARENT_CHILD, SAG_VS_OTHER, OTHER, ATTENTION, EXAMPLE;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One question in its canonical placement. */
    public record Item(ItemKind kind, Source source, ExplainedImage image, PatchSet left, PatchSet right,
            double leftConfidence, double rightConfidence) {

        public Side correctSide() {
            return leftConfidence > rightConfidence ? Side.LEFT : Side.RIGHT;
        }

        public boolean leftInSag() {
            return inSag(image.shownSag(), left);
        }

        public boolean rightInSag() {
            return inSag(image.shownSag(), right);
        }
    }

    /** The items, or the reasons why the design cannot be met with these photos. */
    public record Plan(List<Item> items, List<String> problems) {
    }

    private record Pair(Source source, PatchSet a, PatchSet b) {
    }

    /** An attention check's gap is at least this, whatever the study's minimum gap. */
    static final double ATTENTION_GAP = 0.5;
    private static final int OTHER_PAIR_TRIES = 4000;
    private static final int MAX_NEARLY_EMPTY = 3;

    private final StudyDesign design;

    public ItemBuilder(StudyDesign design) {
        this.design = design;
    }

    public Plan build(List<ExplainedImage> trialImages, List<ExplainedImage> practiceImages) {
        List<String> problems = new ArrayList<>();
        List<ExplainedImage> exampleImages = practiceImages.isEmpty() ? trialImages : practiceImages;
        Optional<Item> example = exampleImages.isEmpty() ? Optional.empty() : example(exampleImages.get(0));
        List<Item> trials = new ArrayList<>();
        for (int i = 0; i < trialImages.size(); i++) {
            ExplainedImage image = trialImages.get(i);
            // the instructions show the example's answer: its options are not asked about again
            Set<PatchSet> shownInExample = example.filter(e -> e.image() == image)
                    .map(e -> Set.of(e.left(), e.right())).orElse(Set.of());
            trials.addAll(questions(image, ItemKind.TRIAL, design.questionsPerImage(), i, shownInExample, problems));
        }
        List<Item> practice = new ArrayList<>();
        if (design.practiceItems() > 0 && !practiceImages.isEmpty()) {
            int perImage = (design.practiceItems() + practiceImages.size() - 1) / practiceImages.size();
            List<List<Item>> byImage = new ArrayList<>();
            for (int i = 0; i < practiceImages.size(); i++) {
                byImage.add(questions(practiceImages.get(i), ItemKind.PRACTICE, perImage, i, Set.of(), problems));
            }
            for (int round = 0; round < perImage && practice.size() < design.practiceItems(); round++) {
                for (List<Item> items : byImage) {
                    if (round < items.size() && practice.size() < design.practiceItems()) {
                        practice.add(items.get(round));
                    }
                }
            }
        }
        List<Item> attention = attentionChecks(trialImages, problems);
        List<Item> all = new ArrayList<>();
        example.ifPresent(all::add);
        all.addAll(balanced(practice, 1));
        all.addAll(balanced(trials, 2));
        all.addAll(balanced(attention, 3));
        return new Plan(all, problems);
    }

    private List<Item> questions(ExplainedImage image, ItemKind kind, int wanted, int index, Set<PatchSet> excluded,
            List<String> problems) {
        Random random = new Random(design.seed() * 1_000_003L + image.imageId());
        Map<Source, List<Pair>> candidates = candidates(image, random);
        candidates.values().forEach(pairs -> pairs.removeIf(p -> excluded.contains(p.a()) || excluded.contains(p.b())));
        Source[] order = {Source.SIBLINGS, Source.PARENT_CHILD, Source.SAG_VS_OTHER, Source.OTHER};
        List<Item> chosen = new ArrayList<>();
        Set<PatchSet> used = new HashSet<>();
        Set<Pair> taken = new HashSet<>();
        for (int turn = 0; chosen.size() < wanted && turn < order.length * wanted * 4; turn++) {
            Source source = order[(index + turn) % order.length];
            Pair pair = pick(candidates.get(source), used, taken);
            if (pair != null) {
                taken.add(pair);
                used.add(pair.a());
                used.add(pair.b());
                chosen.add(new Item(kind, source, image, pair.a(), pair.b(), image.known().get(pair.a()),
                        image.known().get(pair.b())));
            }
        }
        if (chosen.size() < wanted) {
            problems.add(String.format(Locale.ROOT,
                    "photo %d: only %d question(s) with a confidence gap of at least %.0f points (need %d)",
                    image.imageId(), chosen.size(), design.minGap() * 100, wanted));
        }
        return chosen;
    }

    /** An unused pair whose options are both new to this photo's questions if there is one, else any unused pair. */
    private static Pair pick(List<Pair> pairs, Set<PatchSet> used, Set<Pair> taken) {
        Pair fallback = null;
        for (Pair pair : pairs) {
            if (taken.contains(pair)) {
                continue;
            }
            if (!used.contains(pair.a()) && !used.contains(pair.b())) {
                return pair;
            }
            if (fallback == null) {
                fallback = pair;
            }
        }
        return fallback;
    }

    private Map<Source, List<Pair>> candidates(ExplainedImage image, Random random) {
        Sag sag = image.shownSag();
        Map<PatchSet, Double> known = image.known();
        Set<PatchSet> nodes = sag.nodes().stream().map(Sag.Node::patches).collect(Collectors.toSet());
        Map<Source, List<Pair>> pairs = new EnumMap<>(Source.class);
        for (Source source : Source.values()) {
            pairs.put(source, new ArrayList<>());
        }
        Map<Integer, List<Sag.Edge>> byParent = new TreeMap<>();
        for (Sag.Edge edge : sag.edges()) {
            byParent.computeIfAbsent(edge.parent(), p -> new ArrayList<>()).add(edge);
            offer(pairs, Source.PARENT_CHILD, sag.nodes().get(edge.parent()).patches(),
                    sag.nodes().get(edge.child()).patches(), known);
        }
        for (List<Sag.Edge> siblings : byParent.values()) {
            for (int i = 0; i < siblings.size(); i++) {
                for (int j = i + 1; j < siblings.size(); j++) {
                    offer(pairs, Source.SIBLINGS, sag.nodes().get(siblings.get(i).child()).patches(),
                            sag.nodes().get(siblings.get(j).child()).patches(), known);
                }
            }
        }
        Map<Integer, List<PatchSet>> othersBySize = new TreeMap<>();
        known.keySet().stream().filter(set -> !nodes.contains(set) && isQuestionOption(set))
                .sorted(Comparator.comparingLong(PatchSet::bits))
                .forEach(set -> othersBySize.computeIfAbsent(set.size(), s -> new ArrayList<>()).add(set));
        for (Sag.Node node : sag.nodes()) {
            for (PatchSet other : othersBySize.getOrDefault(node.patches().size(), List.of())) {
                offer(pairs, Source.SAG_VS_OTHER, node.patches(), other, known);
            }
        }
        List<List<PatchSet>> groups = othersBySize.values().stream().filter(g -> g.size() > 1).toList();
        for (int t = 0; t < OTHER_PAIR_TRIES && !groups.isEmpty(); t++) {
            List<PatchSet> group = groups.get(random.nextInt(groups.size()));
            PatchSet a = group.get(random.nextInt(group.size()));
            PatchSet b = group.get(random.nextInt(group.size()));
            if (a.bits() < b.bits()) {
                offer(pairs, Source.OTHER, a, b, known);
            }
        }
        for (List<Pair> list : pairs.values()) {
            List<Pair> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(list));
            Collections.shuffle(distinct, random);
            list.clear();
            list.addAll(distinct);
        }
        return pairs;
    }

    private void offer(Map<Source, List<Pair>> pairs, Source source, PatchSet a, PatchSet b,
            Map<PatchSet, Double> known) {
        Double ca = known.get(a);
        Double cb = known.get(b);
        if (ca != null && cb != null && !a.equals(b) && Math.abs(ca - cb) >= design.minGap()) {
            pairs.get(source).add(new Pair(source, a, b));
        }
    }

    private static boolean isQuestionOption(PatchSet set) {
        return !set.isEmpty() && set.size() < 49;
    }

    /** Whole photo against the nearly empty photo with the lowest known confidence, one check per photo. */
    private List<Item> attentionChecks(List<ExplainedImage> images, List<String> problems) {
        List<Item> possible = new ArrayList<>();
        for (ExplainedImage image : images) {
            PatchSet whole = PatchSet.all(49);
            nearlyEmpty(image).filter(set -> image.pFull() - image.known().get(set) >= Math.max(ATTENTION_GAP,
                    design.minGap())).ifPresent(set -> possible.add(new Item(ItemKind.ATTENTION, Source.ATTENTION, image,
                            whole, set, image.pFull(), image.known().get(set))));
        }
        if (possible.size() < design.attentionChecks()) {
            problems.add("only " + possible.size() + " photo(s) have a nearly empty version (1 to 3 patches) the "
                    + "model is unsure about, one attention check each (need " + design.attentionChecks()
                    + "); lower the attention checks or add photos");
        }
        return possible.subList(0, Math.min(possible.size(), design.attentionChecks()));
    }

    /** The instructions' worked example: the first root of the SAG shown against a nearly empty version. */
    private Optional<Item> example(ExplainedImage image) {
        if (image.shownSag().nodes().isEmpty()) {
            return Optional.empty();
        }
        Sag.Node root = image.shownSag().nodes().get(0);
        return nearlyEmpty(image).filter(set -> root.confidence() > image.known().get(set))
                .map(set -> new Item(ItemKind.EXAMPLE, Source.EXAMPLE, image, root.patches(), set, root.confidence(),
                        image.known().get(set)));
    }

    private static Optional<PatchSet> nearlyEmpty(ExplainedImage image) {
        return image.known().entrySet().stream()
                .filter(e -> !e.getKey().isEmpty() && e.getKey().size() <= MAX_NEARLY_EMPTY)
                .min(Comparator.<Map.Entry<PatchSet, Double>>comparingDouble(Map.Entry::getValue)
                        .thenComparingLong(e -> e.getKey().bits()))
                .map(Map.Entry::getKey);
    }

    /** Puts the correct option on the left in half of the items (in random order), on the right in the others. */
    private List<Item> balanced(List<Item> items, int stream) {
        List<Side> sides = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            sides.add(i % 2 == 0 ? Side.LEFT : Side.RIGHT);
        }
        Collections.shuffle(sides, new Random(design.seed() * 31 + stream));
        List<Item> placed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            placed.add(item.correctSide() == sides.get(i) ? item
                    : new Item(item.kind(), item.source(), item.image(), item.right(), item.left(),
                            item.rightConfidence(), item.leftConfidence()));
        }
        return placed;
    }

    static boolean inSag(Sag sag, PatchSet set) {
        return sag.nodes().stream().anyMatch(n -> n.patches().equals(set));
    }
}
