package org.sagstudy.explain;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole explanation of one image: top-1 class, I-GOS ranking, beam search, diverse roots, SAG, and the heat
 * maps. Holds no state between images.
 */
public final class Explainer {

    /** The paper's forest of large roots would grow without end; its figures show a few levels. */
    static final int PAPER_SAG_NODES = 400;

    private final Classifier classifier;
    private final ExplainParameters parameters;
    private final PatchGrid grid;

    public Explainer(Classifier classifier, ExplainParameters parameters) {
        this.classifier = classifier;
        this.parameters = parameters;
        this.grid = new PatchGrid(parameters.gridSide(), classifier.inputSize());
    }

    /** The working state for one image: its prediction and the cached {@code f(S)}. */
    public MaskedConfidence confidenceFor(ImageTensor image, EvaluationStats stats) {
        long started = System.nanoTime();
        Prediction prediction = Prediction.of(classifier, image);
        stats.recordForward(1, System.nanoTime() - started);
        return new MaskedConfidence(classifier, image, parameters.baseline().imageFor(image), grid, prediction, stats);
    }

    /** I-GOS importance of each grid patch (1 - mask), which orders the search. */
    public float[] searchImportance(ImageTensor image, int classIndex, EvaluationStats stats) {
        return searchImportance(image, classIndex, stats, parameters.searchIgos().iterations());
    }

    /** As above with another number of I-GOS iterations (the authors' NeurIPS-era code ran 15). */
    public float[] searchImportance(ImageTensor image, int classIndex, EvaluationStats stats, int iterations) {
        return searchImportance(image, classIndex, stats, iterations, Igos.Progress.NONE);
    }

    private float[] searchImportance(ImageTensor image, int classIndex, EvaluationStats stats, int iterations,
            Igos.Progress progress) {
        if (!(classifier instanceof GradientClassifier gradients)) {
            throw new IllegalStateException("this classifier gives no gradients: pass a ranking instead of I-GOS");
        }
        Igos.Settings search = parameters.searchIgos();
        Igos.Settings settings = new Igos.Settings(grid.side(), iterations, search.integrationSteps(), search.l1(),
                search.tv(), search.noiseSigma(), search.noise());
        return Igos.importance(gradients, image, parameters.baseline().imageFor(image), classIndex, settings,
                noiseSeed(image), stats, progress);
    }

    /**
     * The successor order an I-GOS importance ({@code 1 - mask}) gives: descending importance, ties by index; in
     * reference mode the authors' per-member NumPy argsort of the mask, read in float32 as they hold it (values within
     * float precision of 1 become ties there, as in their code).
     */
    public static PatchOrder searchOrder(float[] importance, SearchMode mode) {
        if (mode != SearchMode.REFERENCE) {
            return PatchOrder.fixed(Igos.ranking(importance));
        }
        float[] mask = new float[importance.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (float) (1.0 - importance[i]);
        }
        return PatchOrder.numpy(mask);
    }

    /** Told when a phase of an explanation has finished, and how far a long phase has come (for progress reports). */
    public interface ProgressListener {
        void finished(String phase);

        /** {@code fraction} of {@code phase} is done (the I-GOS phases report every iteration). */
        default void within(String phase, double fraction) {
        }
    }

    /** Explains an image; {@code givenRanking} (49 patch indices) replaces the I-GOS ranking when not null. */
    public Explanation explain(ImageTensor image, int[] givenRanking) {
        return explain(image, givenRanking, null, phase -> { });
    }

    public Explanation explain(ImageTensor image, int[] givenRanking, ProgressListener progress) {
        return explain(image, givenRanking, null, progress);
    }

    /**
     * Explains an image; {@code givenMask} (49 deletion-mask values, low = important, e.g. the reference code's I-GOS
     * mask) replaces the I-GOS ranking when not null. In reference mode the successors of each beam member then come
     * from NumPy's argsort of that mask as in the authors' code (ties and all); in default mode from the mask in
     * ascending order, ties by index. At most one of {@code givenRanking} and {@code givenMask} may be given.
     */
    public Explanation explain(ImageTensor image, int[] givenRanking, float[] givenMask, ProgressListener progress) {
        if (givenRanking != null && givenMask != null) {
            throw new IllegalArgumentException("give a ranking or a mask, not both");
        }
        EvaluationStats stats = new EvaluationStats();
        PhaseClock clock = new PhaseClock(stats, progress);
        MaskedConfidence f = confidenceFor(image, stats);
        clock.lap("predict");

        Ordering ordering = ordering(image, givenRanking, givenMask, f.classIndex(), stats, progress);
        int[] ranking = ordering.order().ranking();
        clock.lap("igosRanking");

        BeamSearch.Result search = BeamSearch.findExplanations(f, ordering.order(), parameters.search());
        clock.lap("search");

        List<PatchSet> found = search.roots().stream().map(BeamSearch.Root::patches).toList();
        int[] diverse = DiverseRoots.choose(found, parameters.overlap());
        List<PatchSet> shown = Arrays.stream(diverse).limit(parameters.sagRoots()).mapToObj(found::get).toList();
        clock.lap("diverseRoots");

        Sag sag = SagBuilder.build(shown, f, parameters.expandThreshold(), parameters.search().mode(),
                parameters.maxSagNodes());
        Sag paperSag = parameters.search().mode() == SearchMode.REFERENCE ? sag
                : SagBuilder.build(shown, f, parameters.expandThreshold(), SearchMode.REFERENCE, PAPER_SAG_NODES);
        clock.lap("sag");

        HeatMaps maps = parameters.heatMaps() ? heatMaps(image, f.classIndex(), stats, clock, progress)
                : new HeatMaps(null, null);
        return new Explanation(new Prediction(f.classIndex(), f.fullProbability()), ranking,
                givenRanking != null || givenMask != null,
                ordering.searchImportance(), search.roots(), diverse, sag, paperSag, maps.gradCam(), maps.igos(),
                noiseSeed(image), search.levels(), stats.snapshot(), clock.millis(), clock.forwardPasses(),
                Map.copyOf(f.evaluated()));
    }

    /** The order the search adds patches in, and the I-GOS importance it came from (null when given). */
    private record Ordering(PatchOrder order, float[] searchImportance) {
    }

    private Ordering ordering(ImageTensor image, int[] givenRanking, float[] givenMask, int classIndex,
            EvaluationStats stats, ProgressListener progress) {
        if (givenRanking != null) {
            return new Ordering(PatchOrder.fixed(checkedRanking(givenRanking, grid.patchCount())), null);
        }
        if (givenMask != null) {
            if (givenMask.length != grid.patchCount()) {
                throw new IllegalArgumentException("a mask must have " + grid.patchCount() + " values");
            }
            return new Ordering(parameters.search().mode() == SearchMode.REFERENCE ? PatchOrder.numpy(givenMask)
                    : PatchOrder.fixed(PatchOrder.stableAscending(givenMask)), null);
        }
        float[] importance = searchImportance(image, classIndex, stats, parameters.searchIgos().iterations(),
                (done, total) -> progress.within("igosRanking", (double) done / total));
        return new Ordering(searchOrder(importance, parameters.search().mode()), importance);
    }

    private record HeatMaps(HeatMap gradCam, HeatMap igos) {
    }

    /** Grad-CAM where the classifier gives features, the displayed I-GOS map where it gives gradients. */
    private HeatMaps heatMaps(ImageTensor image, int classIndex, EvaluationStats stats, PhaseClock clock,
            ProgressListener progress) {
        HeatMap gradCam = null;
        if (classifier instanceof FeatureClassifier features && features.providesFeatures()) {
            long started = System.nanoTime();
            FeatureClassifier.ClassActivations activations = features.activations(image, classIndex);
            stats.recordGradient(1, System.nanoTime() - started);
            gradCam = GradCam.heatMap(activations);
        }
        clock.lap("gradCam");
        HeatMap igos = null;
        if (classifier instanceof GradientClassifier gradients) {
            igos = igosHeatMap(gradients, image, classIndex, stats,
                    (done, total) -> progress.within("igosHeatMap", (double) done / total));
        }
        clock.lap("igosHeatMap");
        return new HeatMaps(gradCam, igos);
    }

    /** The displayed I-GOS heat map: importance (1 - mask) at the display resolution. */
    public HeatMap igosHeatMap(GradientClassifier gradients, ImageTensor image, int classIndex,
            EvaluationStats stats) {
        return igosHeatMap(gradients, image, classIndex, stats, Igos.Progress.NONE);
    }

    private HeatMap igosHeatMap(GradientClassifier gradients, ImageTensor image, int classIndex,
            EvaluationStats stats, Igos.Progress progress) {
        float[] importance = Igos.importance(gradients, image, parameters.igosDisplayBaseline().imageFor(image),
                classIndex, parameters.displayIgos(), noiseSeed(image) + 1, stats, progress);
        return new HeatMap(HeatMap.Kind.IGOS, parameters.displayIgos().maskSide(), importance);
    }

    public PatchGrid grid() {
        return grid;
    }

    public ExplainParameters parameters() {
        return parameters;
    }

    /** The configured seed mixed with a hash of the image's pixels: reproducible, and different per image. */
    public long noiseSeed(ImageTensor image) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(image.data().length * 4);
            buffer.asFloatBuffer().put(image.data());
            return ByteBuffer.wrap(sha.digest(buffer.array())).getLong() ^ parameters.seed();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of {@code ranking} after checking that it is a permutation of the patch indices. */
    public static int[] checkedRanking(int[] ranking, int n) {
        boolean[] seen = new boolean[n];
        if (ranking.length != n) {
            throw new IllegalArgumentException("a ranking must list all " + n + " patches, got " + ranking.length);
        }
        for (int p : ranking) {
            if (p < 0 || p >= n || seen[p]) {
                throw new IllegalArgumentException("a ranking must be a permutation of 0.." + (n - 1));
            }
            seen[p] = true;
        }
        return ranking.clone();
    }

    /** Time and forward passes (with and without gradients) spent in each phase. */
    private static final class PhaseClock {
        private final EvaluationStats stats;
        private final ProgressListener progress;
        private final Map<String, Long> millis = new LinkedHashMap<>();
        private final Map<String, Long> forwardPasses = new LinkedHashMap<>();
        private long started = System.nanoTime();
        private long passesBefore;

        PhaseClock(EvaluationStats stats, ProgressListener progress) {
            this.stats = stats;
            this.progress = progress;
        }

        void lap(String phase) {
            long now = System.nanoTime();
            EvaluationStats.Snapshot snapshot = stats.snapshot();
            long passes = snapshot.forwardPasses() + snapshot.gradientPasses();
            millis.put(phase, (now - started) / 1_000_000);
            forwardPasses.put(phase, passes - passesBefore);
            started = now;
            passesBefore = passes;
            progress.finished(phase);
        }

        Map<String, Long> millis() {
            return millis;
        }

        Map<String, Long> forwardPasses() {
            return forwardPasses;
        }
    }
}
