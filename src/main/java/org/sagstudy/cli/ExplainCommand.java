package org.sagstudy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.sagstudy.explain.BatchingClassifier;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.model.TorchScriptClassifier;
import org.sagstudy.explanations.StoredExplanation;

/** {@code explain [options] IMAGE_OR_FOLDER...}: one JSON document and a folder of pictures per image. */
final class ExplainCommand extends EngineCommand {

    static final String USAGE = """
            usage: java -jar quarkus-run.jar explain [options] IMAGE_OR_FOLDER...
            Writes OUT/<name>.json and OUT/<name>/ (original, roots, gradcam.png, igos.png, sag.svg, sag.dot).
              --out DIR              output folder (default ./explanations)
              --ranking I,J,...      49 patch indices replacing the I-GOS ranking
              --ranking-mask X,Y,... 49 deletion-mask values (low = important), e.g. the reference code's I-GOS
                                     mask; reference mode orders each beam member's successors as its NumPy code does
              --no-heatmaps          skip the displayed Grad-CAM and I-GOS heat maps
              --parallel-images N    photos explained at once, their masked images sharing the model's passes
                                     (default 1; on a GPU 4 or more pays)
            """ + EngineSetup.OPTIONS_HELP;

    private int[] ranking;
    private float[] rankingMask;
    private int parallelImages;

    ExplainCommand(PrintStream out, PrintStream err) {
        super(USAGE, out, err);
    }

    @Override
    ExplainParameters prepare(Options options, ExplainParameters parameters) throws Options.UsageException {
        rankingMask = EngineSetup.rankingMask(options, parameters.gridSide() * parameters.gridSide());
        ranking = EngineSetup.ranking(options, parameters.gridSide() * parameters.gridSide());
        parallelImages = options.getInt("parallel-images", 1);
        if (parallelImages < 1 || parallelImages > 256) {
            throw new Options.UsageException("--parallel-images must be 1 to 256");
        }
        return parameters;
    }

    @Override
    int execute(Options options, ExplainParameters parameters, List<Path> images, TorchScriptClassifier classifier)
            throws IOException {
        Path outDir = Path.of(options.get("out", "explanations"));
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new IOException("cannot write to " + outDir + ": " + e.getMessage(), e);
        }
        return explainAll(classifier, parameters, images, outDir);
    }

    private int explainAll(TorchScriptClassifier classifier, ExplainParameters parameters, List<Path> images,
            Path outDir) {
        ImageDecoder decoder = ImageDecoder.withDefaultLimits();
        Set<String> usedNames = new HashSet<>();
        List<String> names = images.stream().map(image -> uniqueName(EngineSetup.stem(image), usedNames)).toList();
        AtomicInteger done = new AtomicInteger();
        long started = System.nanoTime();
        try (BatchingClassifier shared = new BatchingClassifier(classifier, BenchmarkCommand.MERGE_WAIT_MS)) {
            Explainer explainer = new Explainer(parallelImages > 1 ? shared : classifier, parameters);
            List<Integer> indices = java.util.stream.IntStream.range(0, images.size()).boxed().toList();
            int failures = ParallelImages.run(indices, parallelImages, i -> explainOne(explainer, classifier,
                    decoder, images.get(i), names.get(i), outDir, done, images.size(), started)).stream()
                    .mapToInt(Integer::intValue).sum();
            if (failures > 0) {
                err.printf(Locale.ROOT, "%d of %d images failed%n", failures, images.size());
            }
            return failures == 0 ? 0 : 1;
        }
    }

    /** 0 when the image was explained and written, 1 when it failed (said on stderr). */
    private int explainOne(Explainer explainer, TorchScriptClassifier classifier, ImageDecoder decoder, Path image,
            String name, Path outDir, AtomicInteger done, int total, long started) {
        ExplainParameters parameters = explainer.parameters();
        long imageStarted = System.nanoTime();
        try {
            byte[] bytes = Files.readAllBytes(image);
            ImageTensor tensor = ImagePreparation.resized(bytes, decoder, classifier.inputSize()).toTensor();
            Explanation explanation = explainer.explain(tensor, ranking, rankingMask, phase -> { });
            var json = StoredExplanation.of(image.getFileName().toString(), EngineSetup.sha256(bytes),
                    classifier.folder(), classifier.device().toString(), parameters, explanation, explainer.grid());
            ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve(name + ".json").toFile(), json);
            int index = explanation.prediction().classIndex();
            String title = String.format(Locale.ROOT, "%s: %s (p = %.3f), %s", image.getFileName(),
                    classifier.folder().labels().get(index), explanation.prediction().probability(),
                    explanation.sag().dnf());
            ExplanationFiles.write(outDir.resolve(name), tensor, explainer.grid(), explanation, title);
            progress(done.incrementAndGet(), total, image, imageStarted, started,
                    String.format(Locale.ROOT, "%s, %d explanations, SAG %d nodes%s",
                            classifier.folder().labels().get(index), explanation.roots().size(),
                            explanation.sag().nodes().size(),
                            explanation.sag().truncated() ? " (truncated: raise --max-sag-nodes)" : ""));
            return 0;
        } catch (ImageDecoder.UnreadableImageException e) {
            err.println("error: " + image + ": " + e.getMessage());
        } catch (IOException e) {
            err.println("error: " + image + ": cannot read or write: " + e.getMessage());
        } catch (RuntimeException e) {
            err.println("error: " + image + ": " + describe(e));
        }
        done.incrementAndGet();
        return 1;
    }

    private synchronized void progress(int done, int total, Path image, long imageStarted, long started,
            String summary) {
        double seconds = (System.nanoTime() - imageStarted) / 1e9;
        double average = (System.nanoTime() - started) / 1e9 / done;
        long left = Math.round(average * (total - done));
        err.printf(Locale.ROOT, "[%d/%d] %s: %.1f s (%s); %.1f s/image, about %dm %02ds left%n", done, total,
                image.getFileName(), seconds, summary, average, left / 60, left % 60);
    }

    private static String uniqueName(String stem, Set<String> used) {
        String name = stem;
        for (int n = 2; !used.add(name); n++) {
            name = stem + "-" + n;
        }
        return name;
    }
}
