package org.sagstudy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Igos;
import org.sagstudy.explain.Minimality;
import org.sagstudy.explain.SearchMode;
import org.sagstudy.explain.SearchParameters;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.model.TorchScriptClassifier;

/** The options every engine command shares: model, device, search parameters, and the images to work on. */
final class EngineSetup {

    static final Set<String> VALUED = Set.of("model", "device", "batch-size", "beam-width", "candidates", "max-roots",
            "threshold", "mode", "minimality", "overlap", "sag-roots", "expand-threshold", "baseline", "igos-baseline",
            "seed", "out", "ranking", "ranking-mask", "sample", "levels", "max-sag-nodes", "report", "beam-widths", "combinations",
            "rules", "parallel-images", "precision", "memory-format", "throughput");
    static final Set<String> FLAGS = Set.of("no-heatmaps", "help");
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    static final String OPTIONS_HELP = """
              --model DIR            TorchScript model folder (NAME.pt, optional NAME_gradcam.pt, synset.txt),
                                     or zoo:ARTIFACT?filter=value (DJL model zoo, downloaded on first use);
                                     default $SAG_MODEL_DIR, else ../shared/models/mobilenet_v2
              --device auto|cpu|gpu  where the model runs (default auto: GPU when DJL sees one)
              --batch-size N         images per forward pass (default 16 on CPU, 64 on GPU)
              --precision fp32|bf16  number format of the search's forward passes (default fp32; bf16 needs
                                     NAME.bf16*.pt in the model folder: scripts/models/variants.sh makes them)
              --memory-format contiguous|channels-last  memory layout of those passes (default contiguous;
                                     channels-last with bf16 only: in fp32 it is not exact on the CPU)
              --beam-width N         b (default 3)          --candidates N    q (default 15)
              --max-roots N          stop after more than N explanations (default 10)
              --threshold X          P_h, sufficient when f(S) > X * p_full (default 0.9)
              --mode default|reference   the paper's method, or the authors' code exactly
              --minimality greedy|exact  (default greedy)
              --overlap N            diverse roots share at most N patches (default 1)
              --sag-roots N          roots drawn in the SAG (default 3)
              --expand-threshold X   expand SAG nodes above X (default 0.4)
              --max-sag-nodes N      stop growing the SAG at N nodes (default 100; no limit in reference mode)
              --baseline black|mean|blur what hidden patches become in the search and the SAG (default black;
                                     blur: OpenCV's Gaussian blur 51x51, sigma 50, as I-GOS uses)
              --igos-baseline black|mean|blur  baseline of the displayed I-GOS map (default blur, I-GOS's own)
              --seed N               mixed with the image hash to seed I-GOS noise (default 0)
            """;

    private EngineSetup() {
    }

    static String modelName(Options options) {
        String configured = options.get("model", System.getenv("SAG_MODEL_DIR"));
        return configured != null ? configured : "../shared/models/mobilenet_v2";
    }

    static TorchScriptClassifier openClassifier(Options options)
            throws Options.UsageException, ModelFolder.InvalidModelException {
        ModelFolder folder = ModelRegistry.open(modelName(options), options.get("precision", "fp32"),
                options.get("memory-format", "contiguous"));
        try {
            return TorchScriptClassifier.open(folder, options.get("device", "auto"), options.getInt("batch-size", 0));
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException(e.getMessage());
        } catch (RuntimeException e) {
            throw new ModelFolder.InvalidModelException("cannot start the model: " + e.getMessage());
        }
    }

    static ExplainParameters parameters(Options options) throws Options.UsageException {
        try {
            SearchMode mode = SearchMode.parse(options.get("mode", "default"));
            SearchParameters search = new SearchParameters(
                    options.getInt("beam-width", 3),
                    options.getInt("candidates", 15),
                    options.getInt("max-roots", 10),
                    options.getDouble("threshold", 0.9),
                    options.getInt("levels", 49),
                    mode,
                    Minimality.parse(options.get("minimality", "greedy")));
            ExplainParameters base = ExplainParameters.PAPER;
            return new ExplainParameters(base.gridSide(), base.search(), options.getInt("overlap", 1),
                    options.getInt("sag-roots", 3), options.getDouble("expand-threshold", 0.4),
                    options.getInt("max-sag-nodes", mode == SearchMode.REFERENCE ? Integer.MAX_VALUE : 100),
                    Baseline.parse(options.get("baseline", "black")), base.searchIgos(), base.displayIgos(),
                    Baseline.parse(options.get("igos-baseline", "blur")), !options.has("no-heatmaps"), options.getLong("seed", 0L)).withSearch(search);
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException(e.getMessage());
        }
    }

    static int[] ranking(Options options, int patchCount) throws Options.UsageException {
        if (!options.has("ranking")) {
            return null;
        }
        String[] parts = options.get("ranking", "").split(",");
        int[] ranking = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                ranking[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--ranking needs " + patchCount + " comma-separated patch indices");
        }
        try {
            return Explainer.checkedRanking(ranking, patchCount);
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("--ranking: " + e.getMessage());
        }
    }

    static float[] rankingMask(Options options, int patchCount) throws Options.UsageException {
        if (!options.has("ranking-mask")) {
            return null;
        }
        if (options.has("ranking")) {
            throw new Options.UsageException("--ranking and --ranking-mask exclude each other");
        }
        String[] parts = options.get("ranking-mask", "").split(",");
        String usage = "--ranking-mask needs " + patchCount + " comma-separated mask values";
        if (parts.length != patchCount) {
            throw new Options.UsageException(usage);
        }
        float[] mask = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                mask[i] = Float.parseFloat(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new Options.UsageException(usage);
        }
        return mask;
    }

    /** Files named directly, and the images directly inside named folders, each list sorted by name. */
    static List<Path> images(List<String> arguments) throws Options.UsageException {
        List<Path> images = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(Files::isRegularFile).filter(EngineSetup::hasImageExtension).sorted()
                            .forEach(images::add);
                } catch (IOException e) {
                    throw new Options.UsageException("cannot list folder " + path + ": " + e.getMessage());
                }
            } else {
                images.add(path);
            }
        }
        return images;
    }

    private static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every engine setting on one line, for reports. */
    static String describe(ExplainParameters p) {
        SearchParameters s = p.search();
        return String.format(Locale.ROOT, "mode=%s b=%d q=%d max-roots=%d threshold=%s levels=%d minimality=%s "
                + "overlap=%d sag-roots=%d expand-threshold=%s baseline=%s igos-search=%s igos-display=%s "
                + "igos-baseline=%s seed=%d", s.mode().label(), s.beamWidth(), s.candidatesPerMember(), s.maxRoots(),
                s.threshold(), s.maxLevels(), s.minimality().name().toLowerCase(Locale.ROOT), p.overlap(),
                p.sagRoots(), p.expandThreshold(), p.baseline().name().toLowerCase(Locale.ROOT), igos(p.searchIgos()),
                igos(p.displayIgos()), p.igosDisplayBaseline().name().toLowerCase(Locale.ROOT), p.seed());
    }

    private static String igos(Igos.Settings s) {
        return String.format(Locale.ROOT, "%dx%d/%d-iterations/%d-steps/l1=%s/tv=%s/noise=%s-%s", s.maskSide(),
                s.maskSide(), s.iterations(), s.integrationSteps(), s.l1(), s.tv(), s.noiseSigma(),
                s.noise().name().toLowerCase(Locale.ROOT));
    }
}
