package org.sagstudy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
              --no-heatmaps          skip the displayed Grad-CAM and I-GOS heat maps
            """ + EngineSetup.OPTIONS_HELP;

    private int[] ranking;

    ExplainCommand(PrintStream out, PrintStream err) {
        super(USAGE, out, err);
    }

    @Override
    ExplainParameters prepare(Options options, ExplainParameters parameters) throws Options.UsageException {
        ranking = EngineSetup.ranking(options, parameters.gridSide() * parameters.gridSide());
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
        Explainer explainer = new Explainer(classifier, parameters);
        ImageDecoder decoder = ImageDecoder.withDefaultLimits();
        Set<String> usedNames = new HashSet<>();
        int failures = 0;
        long started = System.nanoTime();
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            long imageStarted = System.nanoTime();
            try {
                byte[] bytes = Files.readAllBytes(image);
                ImageTensor tensor = ImagePreparation.resized(bytes, decoder, classifier.inputSize()).toTensor();
                Explanation explanation = explainer.explain(tensor, ranking);
                String name = uniqueName(EngineSetup.stem(image), usedNames);
                var json = StoredExplanation.of(image.getFileName().toString(), sha256(bytes), classifier.folder(),
                        classifier.device().toString(), parameters, explanation, explainer.grid());
                ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve(name + ".json").toFile(), json);
                int index = explanation.prediction().classIndex();
                String title = String.format(Locale.ROOT, "%s: %s (p = %.3f), %s", image.getFileName(),
                        classifier.folder().labels().get(index), explanation.prediction().probability(),
                        explanation.sag().dnf());
                ExplanationFiles.write(outDir.resolve(name), tensor, explainer.grid(), explanation, title);
                progress(i + 1, images.size(), image, imageStarted, started,
                        String.format(Locale.ROOT, "%s, %d explanations, SAG %d nodes%s",
                                classifier.folder().labels().get(index), explanation.roots().size(),
                                explanation.sag().nodes().size(),
                                explanation.sag().truncated() ? " (truncated: raise --max-sag-nodes)" : ""));
            } catch (ImageDecoder.UnreadableImageException e) {
                failures++;
                err.println("error: " + image + ": " + e.getMessage());
            } catch (IOException e) {
                failures++;
                err.println("error: " + image + ": cannot read or write: " + e.getMessage());
            } catch (RuntimeException e) {
                failures++;
                err.println("error: " + image + ": " + describe(e));
            }
        }
        if (failures > 0) {
            err.printf(Locale.ROOT, "%d of %d images failed%n", failures, images.size());
        }
        return failures == 0 ? 0 : 1;
    }

    private void progress(int done, int total, Path image, long imageStarted, long started, String summary) {
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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
