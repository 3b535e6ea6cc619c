package org.sagstudy.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.sagstudy.explain.BatchingClassifier;
import org.sagstudy.explain.Classifier;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageBatch;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.Normalization;
import org.sagstudy.model.TorchScriptClassifier;

/**
 * {@code benchmark [options] FOLDER}: seconds per image end to end (file to SAG, as the reference code's timing
 * covers: prediction, I-GOS ranking, search, roots; heat maps for display excluded unless asked for), forward passes
 * per image, the forward throughput of the search against the model's best throughput, and the speed-up of batched
 * evaluation over one image per forward pass; and photos per hour and the mean batch with 1 and with N photos in
 * flight (their passes merged by a {@link BatchingClassifier}).
 */
final class BenchmarkCommand extends EngineCommand {

    static final String USAGE = """
            usage: java -jar quarkus-run.jar benchmark [options] FOLDER...
              --sample N             images for the batch-size-1 comparison (default 5)
              --parallel-images N    also explain all images again with 1 and with N photos in flight, their
                                     masked images sharing the model's passes (default 4; 1 skips it)
              --heatmaps             also compute the displayed Grad-CAM and I-GOS heat maps
              --throughput B,B,...   only measure the model: images per second of forward passes (in the chosen
                                     --precision and --memory-format) and of forward+backward passes (gradients,
                                     always fp32) at these batch sizes, on the images tiled to fill each batch
            """ + EngineSetup.OPTIONS_HELP;

    private static final List<String> SEARCH_PHASES = List.of("search", "diverseRoots", "sag");
    static final long MERGE_WAIT_MS = 3;

    BenchmarkCommand(PrintStream out, PrintStream err) {
        super(USAGE, out, err);
    }

    @Override
    Set<String> flags() {
        return Set.of("heatmaps", "help");
    }

    @Override
    ExplainParameters prepare(Options options, ExplainParameters parameters) throws Options.UsageException {
        if (options.has("ranking") || options.has("ranking-mask")) {
            throw new Options.UsageException("--ranking and --ranking-mask apply to explain only");
        }
        return parameters.withHeatMaps(options.has("heatmaps"));
    }

    @Override
    int execute(Options options, ExplainParameters parameters, List<Path> images, TorchScriptClassifier classifier) {
        try {
            int inFlight = options.getInt("parallel-images", 4);
            if (inFlight < 1 || inFlight > 256) {
                throw new Options.UsageException("--parallel-images must be 1 to 256");
            }
            if (options.has("throughput")) {
                return throughput(classifier, images, batchSizes(options.get("throughput", "")));
            }
            return benchmark(classifier, parameters, images, options.getInt("sample", 5), inFlight);
        } catch (Options.UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private int benchmark(TorchScriptClassifier classifier, ExplainParameters parameters, List<Path> images, int sample,
            int inFlight) {
        ImageDecoder decoder = ImageDecoder.withDefaultLimits();
        Explainer explainer = new Explainer(classifier, parameters);
        try {
            explainer.explain(ImagePreparation.resized(images.get(0), decoder, classifier.inputSize()).toTensor(), null);
        } catch (ImageDecoder.UnreadableImageException e) {
            err.println("error: " + images.get(0) + ": " + e.getMessage());
            return 1;
        }
        double peak = peakThroughput(classifier, classifier.batchSize());
        double single = peakThroughput(classifier, 1);
        Runs runs = explainEach(explainer, classifier, decoder, images, sample);
        if (runs.seconds.isEmpty()) {
            err.println("error: no image could be explained");
            return 1;
        }
        double batchedSeconds = timeSearches(new Explainer(classifier, parameters.withHeatMaps(false)), runs.sampled,
                runs.rankings);
        double unbatchedSeconds = timeSearches(new Explainer(new OneImagePerPass(classifier),
                parameters.withHeatMaps(false)), runs.sampled, runs.rankings);
        printRuns(classifier, parameters, runs, peak, single);
        out.printf(Locale.ROOT, "batched vs one image per pass (search + SAG of %d images, same rankings): %.2f s vs "
                + "%.2f s, speed-up %.1fx%n", runs.sampled.size(), batchedSeconds, unbatchedSeconds,
                unbatchedSeconds / batchedSeconds);
        if (inFlight > 1) {
            printInFlight(classifier, parameters, runs.explained, inFlight);
        }
        return 0;
    }

    /** What explaining each photo once took; the first {@code sample} photos are kept for the batching comparison. */
    private static final class Runs {
        final List<Double> seconds = new ArrayList<>();
        final List<Long> passes = new ArrayList<>();
        final List<ImageTensor> explained = new ArrayList<>();
        final List<ImageTensor> sampled = new ArrayList<>();
        final List<int[]> rankings = new ArrayList<>();
        long searchPasses;
        long searchMillis;

        void add(ImageTensor tensor, Explanation explanation, double elapsed, int sample) {
            explained.add(tensor);
            seconds.add(elapsed);
            passes.add(explanation.phasePasses().values().stream().mapToLong(Long::longValue).sum());
            for (String phase : SEARCH_PHASES) {
                searchPasses += explanation.phasePasses().get(phase);
                searchMillis += explanation.millis().get(phase);
            }
            if (rankings.size() < sample) {
                rankings.add(explanation.ranking());
                sampled.add(tensor);
            }
        }
    }

    private Runs explainEach(Explainer explainer, TorchScriptClassifier classifier, ImageDecoder decoder,
            List<Path> images, int sample) {
        Runs runs = new Runs();
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            long started = System.nanoTime();
            try {
                ImageTensor tensor = ImagePreparation.resized(Files.readAllBytes(image), decoder, classifier.inputSize())
                        .toTensor();
                Explanation explanation = explainer.explain(tensor, null);
                double elapsed = (System.nanoTime() - started) / 1e9;
                runs.add(tensor, explanation, elapsed, sample);
                err.printf(Locale.ROOT, "[%d/%d] %s: %.2f s, %d passes (%d in the search), %d levels, %d roots%n",
                        i + 1, images.size(), image.getFileName(), elapsed, runs.passes.get(runs.passes.size() - 1),
                        explanation.phasePasses().get("search"), explanation.searchLevels(),
                        explanation.roots().size());
            } catch (ImageDecoder.UnreadableImageException | java.io.IOException e) {
                err.println("error: " + image + ": " + e.getMessage());
            } catch (RuntimeException e) {
                err.println("error: " + image + ": " + describe(e));
            }
        }
        return runs;
    }

    private void printRuns(TorchScriptClassifier classifier, ExplainParameters parameters, Runs runs, double peak,
            double single) {
        double searchThroughput = runs.searchPasses / (runs.searchMillis / 1000.0);
        List<Double> passes = runs.passes.stream().map(Long::doubleValue).toList();
        out.printf(Locale.ROOT, "model %s on %s, batch size %d, b = %d, q = %d, mode %s%n", classifier.folder().name(),
                classifier.device(), classifier.batchSize(), parameters.search().beamWidth(),
                parameters.search().candidatesPerMember(), parameters.search().mode().label());
        out.printf(Locale.ROOT, "images: %d%n", runs.seconds.size());
        out.printf(Locale.ROOT, "seconds per image end to end: median %.2f, mean %.2f, max %.2f%n",
                median(runs.seconds), mean(runs.seconds),
                runs.seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        out.printf(Locale.ROOT, "forward passes per image: median %.0f, mean %.0f%n", median(passes), mean(passes));
        out.printf(Locale.ROOT, "model peak throughput: %.1f images/s at batch %d, %.1f images/s at batch 1%n", peak,
                classifier.batchSize(), single);
        out.printf(Locale.ROOT, "search throughput: %.1f images/s (search, roots and SAG); overhead ratio %.2f%n",
                searchThroughput, peak / searchThroughput);
    }

    private void printInFlight(TorchScriptClassifier classifier, ExplainParameters parameters, List<ImageTensor> all,
            int inFlight) {
        InFlight one = inFlight(classifier, parameters, all, 1);
        InFlight many = inFlight(classifier, parameters, all, inFlight);
        out.printf(Locale.ROOT, "photos in flight, 1 vs %d (%d photos, passes merged): %.0f vs %.0f photos/hour "
                + "(%.2fx); mean forward batch %.1f vs %.1f (%.1fx); mean gradient batch %.1f vs %.1f%n", inFlight,
                all.size(), one.photosPerHour(), many.photosPerHour(), many.photosPerHour() / one.photosPerHour(),
                one.counts().meanBatch(), many.counts().meanBatch(),
                many.counts().meanBatch() / one.counts().meanBatch(), one.counts().meanGradientBatch(),
                many.counts().meanGradientBatch());
    }

    private static int[] batchSizes(String list) throws Options.UsageException {
        try {
            int[] sizes = java.util.Arrays.stream(list.split(",")).map(String::strip).mapToInt(Integer::parseInt)
                    .toArray();
            if (sizes.length == 0 || java.util.Arrays.stream(sizes).anyMatch(b -> b < 1 || b > 1024)) {
                throw new NumberFormatException();
            }
            return sizes;
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--throughput needs batch sizes from 1 to 1024, separated by commas");
        }
    }

    private int throughput(TorchScriptClassifier classifier, List<Path> images, int[] batchSizes) {
        ImageDecoder decoder = ImageDecoder.withDefaultLimits();
        List<ImageTensor> tensors = new ArrayList<>();
        for (Path image : images) {
            try {
                tensors.add(ImagePreparation.resized(image, decoder, classifier.inputSize()).toTensor());
            } catch (ImageDecoder.UnreadableImageException e) {
                err.println("error: " + image + ": " + e.getMessage());
                return 1;
            }
        }
        out.printf(Locale.ROOT, "model %s (%s) on %s%n", classifier.folder().name(),
                classifier.folder().variant().label(), classifier.device());
        for (int batchSize : batchSizes) {
            ImageBatch batch = tiled(tensors, batchSize);
            double forward = bestRate(batchSize, () -> classifier.probabilities(batch));
            double backward = bestRate(batchSize, () -> classifier.probabilityGradients(batch, 0));
            out.printf(Locale.ROOT, "batch %d: forward %.1f images/s, forward+backward (fp32) %.1f images/s%n",
                    batchSize, forward, backward);
        }
        return 0;
    }

    private static ImageBatch tiled(List<ImageTensor> tensors, int batchSize) {
        return ImageBatch.of(java.util.stream.IntStream.range(0, batchSize).mapToObj(i -> tensors.get(i % tensors.size()))
                .toList());
    }

    private record InFlight(double photosPerHour, BatchingClassifier.Counts counts) {
    }

    /** Explains every photo with {@code n} at a time through one batching classifier. */
    private static InFlight inFlight(TorchScriptClassifier classifier, ExplainParameters parameters,
            List<ImageTensor> photos, int n) {
        try (BatchingClassifier shared = new BatchingClassifier(classifier, MERGE_WAIT_MS)) {
            Explainer explainer = new Explainer(shared, parameters);
            long started = System.nanoTime();
            ParallelImages.run(photos, n, photo -> explainer.explain(photo, null));
            double hours = (System.nanoTime() - started) / 3.6e12;
            return new InFlight(photos.size() / hours, shared.counts());
        }
    }

    /** The best of several timed batches of masked-looking random images. */
    private static double peakThroughput(Classifier classifier, int batchSize) {
        Random random = new Random(0);
        int size = classifier.inputSize();
        float[] data = new float[batchSize * 3 * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        ImageBatch batch = new ImageBatch(batchSize, size, data);
        return bestRate(batchSize, () -> classifier.probabilities(batch));
    }

    /** Images per second of the fastest of several passes, after two warm-up passes. */
    private static double bestRate(int batchSize, Runnable pass) {
        double best = 0;
        int rounds = Math.max(5, 64 / batchSize);
        for (int round = 0; round < rounds + 2; round++) {
            long started = System.nanoTime();
            pass.run();
            double rate = batchSize / ((System.nanoTime() - started) / 1e9);
            if (round >= 2) {
                best = Math.max(best, rate);
            }
        }
        return best;
    }

    private static double timeSearches(Explainer explainer, List<ImageTensor> tensors, List<int[]> rankings) {
        long started = System.nanoTime();
        for (int i = 0; i < tensors.size(); i++) {
            explainer.explain(tensors.get(i), rankings.get(i));
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** The same classifier asked one image at a time, as the reference code does. */
    private record OneImagePerPass(Classifier delegate) implements Classifier {
        @Override
        public int inputSize() {
            return delegate.inputSize();
        }

        @Override
        public int classCount() {
            return delegate.classCount();
        }

        @Override
        public float[][] probabilities(ImageBatch batch) {
            return delegate.probabilities(batch);
        }

        @Override
        public Normalization normalization() {
            return delegate.normalization();
        }

        @Override
        public int predictedClass(ImageTensor image, float[] probabilities) {
            return delegate.predictedClass(image, probabilities);
        }

        @Override
        public int batchSize() {
            return 1;
        }
    }
}
