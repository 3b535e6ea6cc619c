package org.sagstudy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.sagstudy.explain.BeamSearch;
import org.sagstudy.explain.CombinatorialSearch;
import org.sagstudy.explain.DiverseRoots;
import org.sagstudy.explain.EvaluationStats;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.GradCam;
import org.sagstudy.explain.GradientClassifier;
import org.sagstudy.explain.HeatMaps;
import org.sagstudy.explain.Igos;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.MaskedConfidence;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.PatchOrder;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.SearchParameters;
import org.sagstudy.explain.StoppingRule;
import org.sagstudy.model.TorchScriptClassifier;

/**
 * The paper's first two experiments on one photo. E1: the smallest k at which each method finds a sufficient set of
 * k patches (beam search at each beam width; inserting patches in Grad-CAM order, in the order of the search's own
 * 7x7 I-GOS mask as the authors' insertion routine does, and in the displayed I-GOS map's order; the authors'
 * combinatorial search over the top patches). E2: how many minimal sufficient explanations the search finds, all,
 * the largest set overlapping by at most one patch (the authors' {@code numRoots_Overlap}) and the largest disjoint
 * set, at each beam width under each stopping rule. All masked images of a photo share one cache.
 */
final class Evaluation {

    /** What to run: beam widths, the combinatorial search's top patches and largest k, the E2 stopping rules. */
    record Settings(List<Integer> beamWidths, int combinationTop, int combinationMaxK, List<StoppingRule> rules) {

        static final Settings PAPER = new Settings(List.of(1, 3, 5, 10, 15), CombinatorialSearch.AUTHORS_TOP,
                CombinatorialSearch.AUTHORS_MAX_K, List.of(StoppingRule.values()));

        /** E1's columns, in order. */
        List<String> methods() {
            List<String> methods = new ArrayList<>();
            beamWidths.forEach(b -> methods.add("beam" + b));
            methods.addAll(List.of("gradcam", "igos-search", "igos-display",
                    "comb" + combinationTop + "x" + combinationMaxK));
            return methods;
        }
    }

    /** One E2 count: a stopping rule at a beam width. */
    record RootCount(StoppingRule rule, int beamWidth, int all, int overlapAtMostOne, int disjoint) {
    }

    /** One photo: the smallest k per method (0: none found), the E2 counts, and the time it took. */
    record PhotoResult(String image, String sha256, String label, double pFull, Map<String, Integer> smallestK,
            List<RootCount> roots, double seconds) {
    }

    private Evaluation() {
    }

    /**
     * @param classifier the model (its labels and Grad-CAM features)
     * @param passes     what runs the masked images and gradients: the model, or a classifier shared with photos
     *                   evaluated at the same time
     */
    static PhotoResult evaluate(TorchScriptClassifier classifier, GradientClassifier passes,
            ExplainParameters parameters, Settings settings, Path file)
            throws ImageDecoder.UnreadableImageException, IOException {
        long started = System.nanoTime();
        byte[] bytes = Files.readAllBytes(file);
        ImageTensor image = ImagePreparation.resized(bytes, ImageDecoder.withDefaultLimits(), classifier.inputSize())
                .toTensor();
        Explainer explainer = new Explainer(passes, parameters);
        EvaluationStats stats = new EvaluationStats();
        MaskedConfidence f = explainer.confidenceFor(image, stats);
        PatchGrid grid = explainer.grid();
        SearchParameters search = parameters.search();
        float[] searchImportance = explainer.searchImportance(image, f.classIndex(), stats);
        PatchOrder order = Explainer.searchOrder(searchImportance, search.mode());
        int patches = grid.patchCount();

        float[] gradCam = grid.averagePool(GradCam.heatMap(classifier.activations(image, f.classIndex()))
                .toImage(grid.imageSize()), grid.imageSize());
        float[] igosDisplay = grid.averagePool(explainer.igosHeatMap(passes, image, f.classIndex(), stats)
                .toImage(grid.imageSize()), grid.imageSize());

        Map<String, Integer> smallestK = smallestK(f, order, searchImportance, gradCam, igosDisplay, search,
                settings, patches);
        List<RootCount> counts = rootCounts(explainer, image, f, order, stats, parameters, settings);
        return new PhotoResult(file.getFileName().toString(), EngineSetup.sha256(bytes),
                classifier.folder().labels().get(f.classIndex()), f.fullProbability(), smallestK, counts,
                (System.nanoTime() - started) / 1e9);
    }

    /** E1: the smallest sufficient k each method finds (0: none). */
    private static Map<String, Integer> smallestK(MaskedConfidence f, PatchOrder order, float[] searchImportance,
            float[] gradCam, float[] igosDisplay, SearchParameters search, Settings settings, int patches) {
        Map<String, Integer> smallestK = new LinkedHashMap<>();
        for (int b : settings.beamWidths()) {
            smallestK.put("beam" + b, orZero(BeamSearch.smallestSufficientSize(f, order, b,
                    Math.max(b, search.candidatesPerMember()), search.threshold(), patches)));
        }
        smallestK.put("gradcam", orZero(BeamSearch.smallestSufficientPrefix(f, HeatMaps.descendingOrder(gradCam),
                search.threshold())));
        smallestK.put("igos-search", orZero(BeamSearch.smallestSufficientPrefix(f, movedPatches(searchImportance),
                search.threshold())));
        smallestK.put("igos-display", orZero(BeamSearch.smallestSufficientPrefix(f,
                HeatMaps.descendingOrder(igosDisplay), search.threshold())));
        smallestK.put("comb" + settings.combinationTop() + "x" + settings.combinationMaxK(),
                orZero(CombinatorialSearch.smallestSufficientSize(f, order.ranking(), settings.combinationTop(),
                        settings.combinationMaxK(), search.threshold())));
        return smallestK;
    }

    /** E2: roots and diverse roots per stopping rule and beam width, each rule with its own ranking. */
    private static List<RootCount> rootCounts(Explainer explainer, ImageTensor image, MaskedConfidence f,
            PatchOrder order, EvaluationStats stats, ExplainParameters parameters, Settings settings) {
        SearchParameters search = parameters.search();
        List<RootCount> counts = new ArrayList<>();
        Map<Integer, PatchOrder> orders = new LinkedHashMap<>();
        orders.put(parameters.searchIgos().iterations(), order);
        for (StoppingRule rule : settings.rules()) {
            PatchOrder ruleOrder = orders.computeIfAbsent(rule.rankingIterations(), iterations -> Explainer.searchOrder(
                    explainer.searchImportance(image, f.classIndex(), stats, iterations), search.mode()));
            for (int b : settings.beamWidths()) {
                SearchParameters ruled = rule.apply(search.withBeamWidth(b), f.fullProbability());
                List<PatchSet> roots = BeamSearch.findExplanations(f, ruleOrder, ruled).roots().stream()
                        .map(BeamSearch.Root::patches).toList();
                counts.add(new RootCount(rule, b, roots.size(), DiverseRoots.choose(roots, 1).length,
                        DiverseRoots.choose(roots, 0).length));
            }
        }
        return counts;
    }

    /**
     * The authors' insertion order from the search's mask: lowest mask value first, and only the patches the mask
     * moved below 1 in float32 (their loop ends when every remaining value is 1).
     */
    static int[] movedPatches(float[] importance) {
        return java.util.Arrays.stream(Igos.ranking(importance)).filter(p -> (float) (1.0 - importance[p]) < 1f)
                .toArray();
    }

    private static int orZero(OptionalInt k) {
        return k.orElse(0);
    }
}
