package org.sagstudy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sagstudy.explain.BatchingClassifier;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.GradientClassifier;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.StoppingRule;
import org.sagstudy.model.TorchScriptClassifier;

/**
 * {@code evaluate [options] FOLDER...}: the paper's experiments over photos (see {@link Evaluation}), several photos
 * at a time, with progress and the time left on stderr; the tables on stdout; CSV files, the plot and on request a
 * reproducible {@code report.md} in the output folder.
 */
final class EvaluateCommand extends EngineCommand {

    static final String USAGE = """
            usage: java -jar quarkus-run.jar evaluate [options] FOLDER...
            Writes OUT/e1_per_image.csv, OUT/e1_cumulative.csv, OUT/e2_per_image.csv, OUT/e1.svg and prints the tables.
              --out DIR              output folder (default ./evaluation)
              --report DIR           as --out, and also DIR/report.md (command, model and photo hashes, parameters,
                                     tables, plot) to rerun and compare
              --beam-widths B,...    beam widths of E1 and E2 (default 1,3,5,10,15)
              --combinations N,K     combinatorial search over the top N patches, subsets up to K (default 20,4: the
                                     authors')
              --rules R,...          E2 stopping rules: more-than-max-roots, first-root-level, absolute-threshold
                                     (default all three)
              --parallel-images N    photos evaluated at a time, their masked images sharing the model's passes
                                     (default 4)
              --resume               with --report DIR: keep the photos DIR's earlier run finished (same name and
                                     SHA-256, same model, parameters and settings) and evaluate only the others
            """ + EngineSetup.OPTIONS_HELP;

    private Evaluation.Settings settings;
    private int threads;
    /** Photos taken from the earlier run (--resume). */
    private int resumed;

    EvaluateCommand(PrintStream out, PrintStream err) {
        super(USAGE, out, err);
    }

    @Override
    Set<String> flags() {
        return Set.of("no-heatmaps", "help", "resume");
    }

    @Override
    ExplainParameters prepare(Options options, ExplainParameters parameters) throws Options.UsageException {
        if (options.has("ranking") || options.has("ranking-mask")) {
            throw new Options.UsageException("--ranking and --ranking-mask apply to explain only");
        }
        settings = settings(options);
        if (options.has("resume") && !options.has("report")) {
            throw new Options.UsageException("--resume needs --report DIR (the folder of the run to resume)");
        }
        threads = options.getInt("parallel-images", 4);
        if (threads < 1 || threads > 64) {
            throw new Options.UsageException("--parallel-images must be 1 to 64");
        }
        return parameters;
    }

    static Evaluation.Settings settings(Options options) throws Options.UsageException {
        Evaluation.Settings paper = Evaluation.Settings.PAPER;
        List<Integer> widths = options.has("beam-widths") ? integers(options.get("beam-widths", ""), "--beam-widths")
                : paper.beamWidths();
        if (widths.isEmpty() || widths.stream().anyMatch(b -> b < 1 || b > 49)) {
            throw new Options.UsageException("--beam-widths needs widths from 1 to 49");
        }
        List<Integer> combinations = options.has("combinations")
                ? integers(options.get("combinations", ""), "--combinations")
                : List.of(paper.combinationTop(), paper.combinationMaxK());
        if (combinations.size() != 2 || combinations.get(0) < 1 || combinations.get(0) > 49
                || combinations.get(1) < 1 || combinations.get(1) > 8) {
            throw new Options.UsageException("--combinations needs N,K with N from 1 to 49 and K from 1 to 8");
        }
        List<StoppingRule> rules = new ArrayList<>();
        if (options.has("rules")) {
            for (String name : options.get("rules", "").split(",")) {
                rules.add(Arrays.stream(StoppingRule.values())
                        .filter(r -> EvaluationReport.ruleKey(r).equals(name.trim())).findFirst()
                        .orElseThrow(() -> new Options.UsageException("unknown stopping rule '" + name.trim()
                                + "' (more-than-max-roots, first-root-level, absolute-threshold)")));
            }
        } else {
            rules.addAll(paper.rules());
        }
        return new Evaluation.Settings(widths.stream().distinct().sorted().toList(), combinations.get(0),
                combinations.get(1), rules);
    }

    private static List<Integer> integers(String text, String option) throws Options.UsageException {
        List<Integer> values = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                values.add(Integer.parseInt(part.trim()));
            }
        } catch (NumberFormatException e) {
            throw new Options.UsageException(option + " needs comma-separated whole numbers");
        }
        return values;
    }

    @Override
    int execute(Options options, ExplainParameters parameters, List<Path> images, TorchScriptClassifier classifier)
            throws IOException {
        if (!classifier.providesFeatures()) {
            err.println("error: evaluate compares with Grad-CAM and needs " + classifier.folder().name()
                    + "_gradcam.pt (features output) in " + classifier.folder().directory());
            return 2;
        }
        Path outDir = Path.of(options.get("report", options.get("out", "evaluation")));
        List<Evaluation.PhotoResult> results = new ArrayList<>();
        List<Path> toEvaluate = new ArrayList<>(images);
        if (options.has("resume")) {
            try {
                toEvaluate = resume(outDir, parameters, classifier, images, results);
            } catch (Options.UsageException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
        }
        resumed = results.size();
        Files.createDirectories(outDir);
        long started = System.nanoTime();
        int failures;
        try {
            failures = evaluateAll(toEvaluate, photo -> {
                results.add(photo);
                // the files so far after every photo: a long run stopped early still leaves a consistent report
                writeFiles(options, parameters, classifier, outDir, results, images.size(), started);
            }, parameters, classifier, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 2;
        }
        out.print(writeFiles(options, parameters, classifier, outDir, results, images.size(), started).summary());
        return failures == 0 ? 0 : 1;
    }

    /** What to do with each photo's result as soon as it is there. */
    private interface Finished {
        void accept(Evaluation.PhotoResult photo) throws IOException;
    }

    /** Evaluates the photos {@code threads} at a time; returns how many failed (each said on stderr). */
    private int evaluateAll(List<Path> toEvaluate, Finished finished, ExplainParameters parameters,
            TorchScriptClassifier classifier, long started) throws InterruptedException, IOException {
        int failures = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BatchingClassifier shared = new BatchingClassifier(classifier, BenchmarkCommand.MERGE_WAIT_MS)) {
            GradientClassifier passes = threads > 1 ? shared : classifier;
            ExecutorCompletionService<Evaluation.PhotoResult> done = new ExecutorCompletionService<>(pool);
            for (Path image : toEvaluate) {
                done.submit(() -> Evaluation.evaluate(classifier, passes, parameters, settings, image));
            }
            for (int count = 1; count <= toEvaluate.size(); count++) {
                try {
                    Evaluation.PhotoResult r = done.take().get();
                    report(r, count, toEvaluate.size(), started);
                    finished.accept(r);
                } catch (ExecutionException e) {
                    failures++;
                    Throwable cause = e.getCause();
                    err.println("error: " + (cause instanceof ImageDecoder.UnreadableImageException
                            || cause instanceof IOException ? cause.getMessage()
                            : cause instanceof RuntimeException r ? describe(r) : String.valueOf(cause)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    /** Takes the earlier run's results of unchanged photos into {@code results}; returns the photos still to do. */
    private List<Path> resume(Path outDir, ExplainParameters parameters, TorchScriptClassifier classifier,
            List<Path> images, List<Evaluation.PhotoResult> results) throws Options.UsageException, IOException {
        EarlierResults earlier = EarlierResults.read(outDir, settings, EvaluationReport.provenanceLines(
                classifier.folder().sha256(), EngineSetup.describe(parameters), settings));
        List<Path> toEvaluate = new ArrayList<>();
        for (Path image : images) {
            Evaluation.PhotoResult found = earlier.find(image.getFileName().toString(),
                    EngineSetup.sha256(Files.readAllBytes(image)));
            if (found != null) {
                results.add(found);
            } else {
                toEvaluate.add(image);
            }
        }
        err.printf(Locale.ROOT, "resuming: %d of the %d photos were evaluated by the earlier run%n", results.size(),
                images.size());
        return toEvaluate;
    }

    private EvaluationReport writeFiles(Options options, ExplainParameters parameters,
            TorchScriptClassifier classifier, Path outDir, List<Evaluation.PhotoResult> results, int photos,
            long started) throws IOException {
        EvaluationReport report = new EvaluationReport(results, settings, parameters.gridSide() * parameters.gridSide());
        report.write(outDir);
        if (options.has("report")) {
            report.writeMarkdown(outDir, new EvaluationReport.Provenance(
                    "scripts/sag evaluate " + String.join(" ", arguments),
                    classifier.folder().name() + " (" + classifier.folder().variant().label() + ")",
                    classifier.folder().sha256(), photoListHash(results), EngineSetup.describe(parameters),
                    (System.nanoTime() - started) / 1e9, threads, photos, resumed));
        }
        return report;
    }

    private void report(Evaluation.PhotoResult r, int finished, int total, long started) {
        double perPhoto = (System.nanoTime() - started) / 1e9 / finished;
        long left = Math.round(perPhoto * (total - finished));
        err.printf(Locale.ROOT, "[%d/%d] %s: k = %s, %.1f s; about %dm %02ds left%n", finished, total, r.image(),
                r.smallestK(), r.seconds(), left / 60, left % 60);
    }

    /** SHA-256 of the sorted "sha256  name" lines of the photos evaluated. */
    static String photoListHash(List<Evaluation.PhotoResult> results) {
        String lines = results.stream().map(r -> r.sha256() + "  " + r.image()).sorted()
                .reduce("", (a, b) -> a + b + "\n");
        return EngineSetup.sha256(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
