package org.sagstudy.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
 * Chooses a study's questions. Every option is a patch set whose confidence the engine computed (the SAG's nodes,
 * the masked images the search evaluated, and random sets drawn for the study and evaluated by a worker), so the
 * answer key is known and no model runs while participants answer. The design's question mix ({@link QuestionKind}
 * proportions) is met across the study within rounding; options respect the minimum gap and are not reused within a
 * photo where avoidable. The correct option stands left in half the items.
 */
public final class ItemBuilder {

    /**
     * A photo with its explanation: the SAG participants see, every patch set with a known confidence, and the random
     * sets drawn for it (all among the known ones).
     */
    public record ExplainedImage(long imageId, long explanationId, double pFull, Sag shownSag,
            Map<PatchSet, Double> known, List<PatchSet> randomSets) {
    }

    /** One question in its canonical placement. */
    public record Item(ItemKind kind, QuestionKind questionKind, ExplainedImage image, PatchSet left, PatchSet right,
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

    private record Pair(PatchSet a, PatchSet b) {
    }

    /** An attention check's gap is at least this, whatever the study's minimum gap. */
    static final double ATTENTION_GAP = 0.5;
    private static final int SEARCHED_PAIR_TRIES = 4000;
    private static final int MAX_NEARLY_EMPTY = 3;

    private final StudyDesign design;

    public ItemBuilder(StudyDesign design) {
        this.design = design;
    }

    public Plan build(List<ExplainedImage> trialImages, List<ExplainedImage> practiceImages) {
        List<String> problems = new ArrayList<>();
        List<ExplainedImage> exampleImages = practiceImages.isEmpty() ? trialImages : practiceImages;
        Optional<Item> example = exampleImages.isEmpty() ? Optional.empty() : example(exampleImages.get(0));
        // the instructions show the example's answer: its options are not asked about again
        Set<PatchSet> shownInExample = example.map(e -> Set.of(e.left(), e.right())).orElse(Set.of());
        List<Item> trials = questions(trialImages, ItemKind.TRIAL, design.questionsPerImage(),
                example.map(Item::image).orElse(null), shownInExample, problems);
        List<Item> practice = new ArrayList<>();
        if (design.practiceItems() > 0 && !practiceImages.isEmpty()) {
            int perImage = (design.practiceItems() + practiceImages.size() - 1) / practiceImages.size();
            List<Item> all = questions(practiceImages, ItemKind.PRACTICE, perImage, null, Set.of(), new ArrayList<>());
            practice.addAll(all.subList(0, Math.min(all.size(), design.practiceItems())));
            if (practice.size() < design.practiceItems()) {
                problems.add("the practice photos give only " + practice.size() + " practice question(s) with the "
                        + "gap (need " + design.practiceItems() + ")");
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

    /** How many of {@code total} questions each kind gets: the design's proportions, by largest remainder. */
    static Map<QuestionKind, Integer> quotas(Map<QuestionKind, Double> mix, int total) {
        double sum = mix.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<QuestionKind, Integer> quotas = new EnumMap<>(QuestionKind.class);
        List<Map.Entry<QuestionKind, Double>> remainders = new ArrayList<>();
        int given = 0;
        for (Map.Entry<QuestionKind, Double> share : mix.entrySet()) {
            double exact = total * share.getValue() / sum;
            int whole = (int) Math.floor(exact);
            quotas.put(share.getKey(), whole);
            given += whole;
            remainders.add(Map.entry(share.getKey(), exact - whole));
        }
        remainders.sort(Map.Entry.<QuestionKind, Double>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < total - given; i++) {
            quotas.merge(remainders.get(i % remainders.size()).getKey(), 1, Integer::sum);
        }
        return quotas;
    }

    private List<Item> questions(List<ExplainedImage> images, ItemKind itemKind, int perImage,
            ExplainedImage exampleImage, Set<PatchSet> shownInExample, List<String> problems) {
        Map<QuestionKind, Integer> quota = quotas(design.questionMix(), images.size() * perImage);
        List<QuestionKind> kinds = List.copyOf(quota.keySet());
        List<Map<QuestionKind, List<Pair>>> candidates = new ArrayList<>();
        for (ExplainedImage image : images) {
            candidates.add(candidatesOf(image, image == exampleImage ? shownInExample : Set.of()));
        }
        int[][] offered = new int[images.size()][kinds.size()];
        for (int i = 0; i < images.size(); i++) {
            for (int k = 0; k < kinds.size(); k++) {
                offered[i][k] = candidates.get(i).get(kinds.get(k)).size();
            }
        }
        int[][] counts = KindAssignment.assign(offered, kinds.stream().mapToInt(quota::get).toArray(), perImage);
        NodeBalance balance = nodeBalance(images, kinds, candidates, counts);
        List<Item> chosen = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<Item> fromThisImage = questionsOf(i, images.get(i), itemKind, kinds, counts[i], candidates.get(i),
                    balance);
            chosen.addAll(fromThisImage);
            if (fromThisImage.size() < perImage && itemKind == ItemKind.TRIAL) {
                problems.add(String.format(Locale.ROOT,
                        "photo %d: only %d question(s) of the kinds still wanted with a confidence gap of at least "
                                + "%.0f points (need %d)", images.get(i).imageId(), fromThisImage.size(),
                        design.minGap() * 100, perImage));
            }
        }
        if (itemKind == ItemKind.TRIAL) {
            balance.problem(design.minGap()).ifPresent(problems::add);
            reportMissingKinds(quota, chosen, problems);
        }
        return chosen;
    }

    /** The photo's candidate pairs, without the patch sets the worked example already showed. */
    private Map<QuestionKind, List<Pair>> candidatesOf(ExplainedImage image, Set<PatchSet> shownInExample) {
        Map<QuestionKind, List<Pair>> pairs = candidates(image, new Random(design.seed() * 1_000_003L
                + image.imageId()));
        pairs.values().forEach(list -> list.removeIf(p -> shownInExample.contains(p.a())
                || shownInExample.contains(p.b())));
        return pairs;
    }

    private static NodeBalance nodeBalance(List<ExplainedImage> images, List<QuestionKind> kinds,
            List<Map<QuestionKind, List<Pair>>> candidates, int[][] counts) {
        int oneInSag = kinds.indexOf(QuestionKind.ONE_IN_SAG);
        if (oneInSag < 0) {
            return new NodeBalance(new int[images.size()]);
        }
        return new NodeBalance(NodeBalance.otherCorrectQuota(
                candidates.stream().map(c -> c.get(QuestionKind.ONE_IN_SAG)).toList(),
                images.stream().map(ExplainedImage::known).toList(),
                Arrays.stream(counts).mapToInt(row -> row[oneInSag]).toArray()));
    }

    /** The photo's questions: {@code counts[k]} of each kind, options new to the photo's questions where possible. */
    private static List<Item> questionsOf(int index, ExplainedImage image, ItemKind itemKind, List<QuestionKind> kinds,
            int[] counts, Map<QuestionKind, List<Pair>> candidates, NodeBalance balance) {
        Set<PatchSet> used = new HashSet<>();
        Set<Pair> taken = new HashSet<>();
        List<Item> items = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            QuestionKind kind = kinds.get(k);
            for (int n = 0; n < counts[k]; n++) {
                List<Pair> offeredPairs = candidates.get(kind);
                Pair pair = kind == QuestionKind.ONE_IN_SAG ? balance.pick(index, offeredPairs, image.known(), used,
                        taken) : pick(offeredPairs, used, taken);
                taken.add(pair);
                used.add(pair.a());
                used.add(pair.b());
                items.add(new Item(itemKind, kind, image, pair.a(), pair.b(), image.known().get(pair.a()),
                        image.known().get(pair.b())));
            }
        }
        return items;
    }

    private static void reportMissingKinds(Map<QuestionKind, Integer> quota, List<Item> chosen,
            List<String> problems) {
        quota.forEach((kind, wanted) -> {
            long missing = wanted - chosen.stream().filter(item -> item.questionKind() == kind).count();
            if (missing > 0) {
                problems.add(missing + " question(s) of kind " + kind.key() + " could not be built "
                        + "with the gap: add photos, lower the gap, or change the question mix");
            }
        });
    }

    /**
     * Keeps the SAG node the right answer in half of the {@code one-in-sag} questions. Pairs where the random option
     * wins are the scarce ones, so they are planned first: each photo gets as many of its one-in-sag questions with
     * the random option right as it offers, until half of all are; the rest put the node right. (The node is always
     * {@code a}: the node's pairs are offered node first.)
     */
    static final class NodeBalance {

        /** How far the node-correct share may stray from one half (beyond one question of an odd count). */
        static final double TOLERANCE = 0.05;

        private final int[] otherCorrectLeft;
        private int nodeCorrect;
        private int otherCorrect;

        NodeBalance(int[] otherCorrectQuota) {
            this.otherCorrectLeft = otherCorrectQuota.clone();
        }

        /** Per photo, how many of its {@code questions} should have the random option right. */
        static int[] otherCorrectQuota(List<List<Pair>> pairs, List<Map<PatchSet, Double>> known, int[] questions) {
            int wanted = Arrays.stream(questions).sum() / 2;
            int[] quota = new int[questions.length];
            for (int i = 0; i < questions.length && wanted > 0; i++) {
                Map<PatchSet, Double> confidence = known.get(i);
                long offered = pairs.get(i).stream().filter(p -> confidence.get(p.a()) < confidence.get(p.b()))
                        .count();
                quota[i] = (int) Math.min(wanted, Math.min(questions[i], offered));
                wanted -= quota[i];
            }
            return quota;
        }

        Pair pick(int image, List<Pair> pairs, Map<PatchSet, Double> known, Set<PatchSet> used, Set<Pair> taken) {
            boolean wantNode = otherCorrectLeft[image] == 0;
            List<Pair> wanted = pairs.stream().filter(p -> (known.get(p.a()) > known.get(p.b())) == wantNode)
                    .toList();
            Pair pair = ItemBuilder.pick(wanted, used, taken);
            if (pair == null) {
                pair = ItemBuilder.pick(pairs, used, taken);
            }
            if (known.get(pair.a()) > known.get(pair.b())) {
                nodeCorrect++;
            } else {
                otherCorrect++;
                otherCorrectLeft[image] = Math.max(0, otherCorrectLeft[image] - 1);
            }
            return pair;
        }

        Optional<String> problem(double minGap) {
            int total = nodeCorrect + otherCorrect;
            // an odd count cannot split evenly: one question either way is as balanced as it gets
            if (Math.abs(nodeCorrect - otherCorrect) <= 1 || Math.abs((double) nodeCorrect / total - 0.5) <= TOLERANCE) {
                return Optional.empty();
            }
            return Optional.of(String.format(Locale.ROOT, "one-in-sag: the SAG node would be the right answer in %d "
                    + "of %d questions (%.0f%%; need 50%% ± %.0f): the photos offer too few random options that beat a "
                    + "node by %.0f points (%d missing); add photos, lower the gap, or take one-in-sag out of the mix",
                    nodeCorrect, total, 100.0 * nodeCorrect / total, TOLERANCE * 100, minGap * 100,
                    Math.abs(nodeCorrect - otherCorrect)));
        }
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

    /** Every pair of each kind this photo offers with the gap, in a seeded random order. */
    private Map<QuestionKind, List<Pair>> candidates(ExplainedImage image, Random random) {
        Map<QuestionKind, List<Pair>> pairs = new EnumMap<>(QuestionKind.class);
        for (QuestionKind kind : QuestionKind.MIXABLE) {
            pairs.put(kind, new ArrayList<>());
        }
        Sag sag = image.shownSag();
        Set<PatchSet> nodes = sag.nodes().stream().map(Sag.Node::patches).collect(Collectors.toSet());
        List<PatchSet> nodeSets = List.copyOf(new LinkedHashSet<>(sag.nodes().stream().map(Sag.Node::patches)
                .toList()));
        offerNodePairs(pairs, sag, nodeSets, image.known());
        offerRandomPairs(pairs, image, nodes, nodeSets);
        offerSearchedPairs(pairs, image, nodes, random);
        for (List<Pair> list : pairs.values()) {
            List<Pair> distinct = new ArrayList<>(new LinkedHashSet<>(list));
            Collections.shuffle(distinct, random);
            list.clear();
            list.addAll(distinct);
        }
        return pairs;
    }

    /** Both options in the SAG: nodes of one size, and each edge's parent against its child. */
    private void offerNodePairs(Map<QuestionKind, List<Pair>> pairs, Sag sag, List<PatchSet> nodeSets,
            Map<PatchSet, Double> known) {
        for (int i = 0; i < nodeSets.size(); i++) {
            for (int j = i + 1; j < nodeSets.size(); j++) {
                if (nodeSets.get(i).size() == nodeSets.get(j).size()) {
                    offer(pairs, QuestionKind.BOTH_IN_SAG, nodeSets.get(i), nodeSets.get(j), known);
                }
            }
        }
        for (Sag.Edge edge : sag.edges()) {
            offer(pairs, QuestionKind.PARENT_CHILD, sag.nodes().get(edge.parent()).patches(),
                    sag.nodes().get(edge.child()).patches(), known);
        }
    }

    /** The uniformly drawn sets: against a node ({@code one-in-sag}) and against each other, size by size. */
    private void offerRandomPairs(Map<QuestionKind, List<Pair>> pairs, ExplainedImage image, Set<PatchSet> nodes,
            List<PatchSet> nodeSets) {
        Map<PatchSet, Double> known = image.known();
        Map<Integer, List<PatchSet>> randomBySize = bySize(image.randomSets().stream()
                .filter(set -> !nodes.contains(set) && known.containsKey(set)).toList());
        // a node against random sets of its size and larger: a set of the same size rarely beats a node (roots keep
        // 90% of p_full), so without the larger ones "pick the node" would answer nearly every question
        for (PatchSet node : nodeSets) {
            randomBySize.forEach((size, group) -> {
                if (size >= node.size()) {
                    group.forEach(other -> offer(pairs, QuestionKind.ONE_IN_SAG, node, other, known));
                }
            });
        }
        for (List<PatchSet> group : randomBySize.values()) {
            for (int i = 0; i < group.size(); i++) {
                for (int j = i + 1; j < group.size(); j++) {
                    offer(pairs, QuestionKind.NEITHER_RANDOM, group.get(i), group.get(j), known);
                }
            }
        }
    }

    /** Sets the search evaluated that no explanation shows, paired at random within a size. */
    private void offerSearchedPairs(Map<QuestionKind, List<Pair>> pairs, ExplainedImage image, Set<PatchSet> nodes,
            Random random) {
        Map<PatchSet, Double> known = image.known();
        Set<PatchSet> drawn = Set.copyOf(image.randomSets());
        Map<Integer, List<PatchSet>> searchedBySize = bySize(known.keySet().stream()
                .filter(set -> !nodes.contains(set) && !drawn.contains(set) && isQuestionOption(set))
                .sorted(Comparator.comparingLong(PatchSet::bits)).toList());
        List<List<PatchSet>> groups = searchedBySize.values().stream().filter(g -> g.size() > 1).toList();
        for (int t = 0; t < SEARCHED_PAIR_TRIES && !groups.isEmpty(); t++) {
            List<PatchSet> group = groups.get(random.nextInt(groups.size()));
            PatchSet a = group.get(random.nextInt(group.size()));
            PatchSet b = group.get(random.nextInt(group.size()));
            if (a.bits() < b.bits()) {
                offer(pairs, QuestionKind.NEITHER_SEARCHED, a, b, known);
            }
        }
    }

    private static Map<Integer, List<PatchSet>> bySize(List<PatchSet> sets) {
        Map<Integer, List<PatchSet>> bySize = new TreeMap<>();
        sets.forEach(set -> bySize.computeIfAbsent(set.size(), s -> new ArrayList<>()).add(set));
        return bySize;
    }

    private void offer(Map<QuestionKind, List<Pair>> pairs, QuestionKind kind, PatchSet a, PatchSet b,
            Map<PatchSet, Double> known) {
        Double ca = known.get(a);
        Double cb = known.get(b);
        if (ca != null && cb != null && !a.equals(b) && Math.abs(ca - cb) >= design.minGap()) {
            pairs.get(kind).add(new Pair(a, b));
        }
    }

    private static boolean isQuestionOption(PatchSet set) {
        return !set.isEmpty() && set.size() < 49;
    }

    /**
     * Two partial views of one photo with the same number of patches, one the model is sure about and one it is not
     * (the pair of one size with the largest gap, the smallest such size on a tie): the answer is plain to anyone who
     * looks at the pictures, and nothing outside them (the patch count, the option's patch list) tells it. One check
     * per photo.
     */
    private List<Item> attentionChecks(List<ExplainedImage> images, List<String> problems) {
        double least = Math.max(ATTENTION_GAP, design.minGap());
        List<Item> possible = new ArrayList<>();
        for (ExplainedImage image : images) {
            equalSizePair(image, least).ifPresent(pair -> possible.add(new Item(ItemKind.ATTENTION,
                    QuestionKind.ATTENTION, image, pair.a(), pair.b(), image.known().get(pair.a()),
                    image.known().get(pair.b()))));
        }
        if (possible.size() < design.attentionChecks()) {
            problems.add("only " + possible.size() + " photo(s) have two views with the same number of patches whose "
                    + "confidences differ by at least " + Math.round(100 * least) + " points, one attention check "
                    + "each (need " + design.attentionChecks() + "); lower the attention checks or add photos");
        }
        return possible.subList(0, Math.min(possible.size(), design.attentionChecks()));
    }

    /** The most and the least confident known views of one size, for the size where they differ most. */
    private static Optional<Pair> equalSizePair(ExplainedImage image, double leastGap) {
        Pair best = null;
        double bestGap = leastGap;
        for (List<PatchSet> sets : bySize(image.known().keySet().stream().filter(ItemBuilder::isQuestionOption)
                .sorted(Comparator.comparingLong(PatchSet::bits)).toList()).values()) {
            PatchSet sure = Collections.max(sets, Comparator.comparingDouble(image.known()::get));
            PatchSet unsure = Collections.min(sets, Comparator.comparingDouble(image.known()::get));
            double gap = image.known().get(sure) - image.known().get(unsure);
            if (gap >= bestGap && (best == null || gap > bestGap)) {
                best = new Pair(sure, unsure);
                bestGap = gap;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The instructions' worked example: the first root of the SAG shown against a nearly empty version. */
    private Optional<Item> example(ExplainedImage image) {
        if (image.shownSag().nodes().isEmpty()) {
            return Optional.empty();
        }
        Sag.Node root = image.shownSag().nodes().get(0);
        return nearlyEmpty(image).filter(set -> root.confidence() > image.known().get(set))
                .map(set -> new Item(ItemKind.EXAMPLE, QuestionKind.EXAMPLE, image, root.patches(), set,
                        root.confidence(), image.known().get(set)));
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
                    : new Item(item.kind(), item.questionKind(), item.image(), item.right(), item.left(),
                            item.rightConfidence(), item.leftConfidence()));
        }
        return placed;
    }

    static boolean inSag(Sag sag, PatchSet set) {
        return sag.nodes().stream().anyMatch(n -> n.patches().equals(set));
    }
}
