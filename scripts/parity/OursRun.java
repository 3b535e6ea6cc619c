import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sagstudy.explain.BeamSearch;
import org.sagstudy.explain.Classifier;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageBatch;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.Minimality;
import org.sagstudy.explain.Normalization;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;
import org.sagstudy.explain.SearchMode;
import org.sagstudy.explain.SearchParameters;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.TorchScriptClassifier;

/**
 * The parity harness's "ours" side: our engine (the built app's classes) in reference mode, given the authors' I-GOS
 * result, writing roots, diverse roots, SAG, the beams and every evaluated f(S) in the JSON that compare.py reads.
 *
 * <pre>
 * java -cp "$APP/app/*:$APP/lib/main/*" OursRun.java run MODEL_DIR OUT_DIR THEIRS_DIR IMAGE...
 *     the real model; from THEIRS_DIR/&lt;stem&gt;.json (authors_run.py) only the explained input is read:
 *     PARITY_OURS_INPUT=mask (default): their float32 7x7 mask ("mask7x7"), as --ranking-mask takes it; in reference
 *       mode each beam member's successors then come from NumPy's non-stable argsort of the mask with the member's
 *       patches set to 2 (PatchOrder.numpy, the authors' beamSearch_get_successor_indices)
 *     PARITY_OURS_INPUT=ranking: their np.argsort(mask) as one fixed permutation (--ranking; PARITY_RANKING_KEY picks
 *       another key, e.g. rankingStable), for an engine built before PatchOrder existed
 * java -cp ... OursRun.java replay THEIRS.json OUT.json
 *     the same explanation on a lookup classifier that answers every f(S) (and p_full) with the authors' logged value;
 *     sets they never evaluated answer 0 and are listed in "missing"
 * </pre>
 *
 * The mask path is looked up by reflection, so this file also compiles (single-file source launch) against an engine
 * without {@code PatchOrder}. Parameters: {@link #parameters()} (b=3, q=15, more than 10 roots stops, threshold 0.9,
 * greedy minimality, overlap 1, 3 SAG roots, expand above 0.4, no SAG node limit, no heat maps).
 */
public class OursRun {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static ExplainParameters parameters() {
        SearchParameters search = new SearchParameters(3, 15, 10, 0.9, 49, SearchMode.REFERENCE, Minimality.GREEDY);
        // PAPER with the reference search, overlap 1, 3 SAG roots, expansion above 0.40, no heat maps, and no limit on
        // SAG nodes as the CLI sets in reference mode; by record component name, so that added components keep their
        // PAPER values
        Map<String, Object> changes = Map.of("search", search, "overlap", 1, "sagRoots", 3, "expandThreshold", 0.4,
                "maxSagNodes", Integer.MAX_VALUE, "heatMaps", false);
        try {
            java.lang.reflect.RecordComponent[] components = ExplainParameters.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = changes.containsKey(components[i].getName()) ? changes.get(components[i].getName())
                        : components[i].getAccessor().invoke(ExplainParameters.PAPER);
            }
            return ExplainParameters.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static int[] ranking(JsonNode theirs) {
        String key = System.getenv().getOrDefault("PARITY_RANKING_KEY", "ranking");
        JsonNode r = theirs.get(key);
        int[] ranking = new int[r.size()];
        for (int i = 0; i < ranking.length; i++) {
            ranking[i] = r.get(i).asInt();
        }
        return ranking;
    }

    /** PARITY_OURS_INPUT: "mask" (default, needs the engine with PatchOrder) or "ranking" (any engine). */
    static boolean maskInput() {
        String input = System.getenv().getOrDefault("PARITY_OURS_INPUT", "mask");
        if (!input.equals("mask") && !input.equals("ranking")) {
            throw new IllegalArgumentException("PARITY_OURS_INPUT must be mask or ranking: " + input);
        }
        return input.equals("mask");
    }

    static float[] mask(JsonNode theirs) {
        JsonNode m = theirs.get("mask7x7");
        float[] mask = new float[m.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (float) m.get(i).asDouble(); // their float32 values, exactly
        }
        return mask;
    }

    /**
     * The explanation given their mask (Explainer.explain(image, null, mask, progress), by reflection so that this
     * file also compiles against an engine without it) or their ranking.
     */
    static Explanation explain(Explainer explainer, ImageTensor tensor, JsonNode theirs) throws Exception {
        return explain(explainer, tensor, theirs, phase -> { });
    }

    static Explanation explain(Explainer explainer, ImageTensor tensor, JsonNode theirs,
            Explainer.ProgressListener listener) throws Exception {
        if (maskInput()) {
            float[] mask = mask(theirs);
            java.lang.reflect.Method method = Explainer.class.getMethod("explain", ImageTensor.class, int[].class,
                    float[].class, Explainer.ProgressListener.class);
            return (Explanation) method.invoke(explainer, tensor, null, mask, listener);
        }
        return explainer.explain(tensor, ranking(theirs), listener);
    }

    /** The beam search alone, on a table of values (no model), to expose the beams kept at each level. */
    static BeamSearch.Result search(Map<Long, Float> values, JsonNode theirs) throws Exception {
        LookupClassifier classifier = new LookupClassifier(values, 0);
        float[] white = new float[3 * 224 * 224];
        java.util.Arrays.fill(white, 1f);
        ImageTensor image = new ImageTensor(224, 224, white);
        org.sagstudy.explain.MaskedConfidence f = new org.sagstudy.explain.MaskedConfidence(classifier, image,
                org.sagstudy.explain.Baseline.BLACK.imageFor(image), PatchGrid.paper(),
                org.sagstudy.explain.Prediction.of(classifier, image), new org.sagstudy.explain.EvaluationStats());
        SearchParameters parameters = parameters().search();
        if (maskInput()) {
            float[] mask = mask(theirs);
            Class<?> orderType = Class.forName("org.sagstudy.explain.PatchOrder");
            Object order = orderType.getMethod("numpy", float[].class).invoke(null, (Object) mask);
            return (BeamSearch.Result) BeamSearch.class.getMethod("findExplanations",
                    org.sagstudy.explain.MaskedConfidence.class, orderType, SearchParameters.class)
                    .invoke(null, f, order, parameters);
        }
        return BeamSearch.findExplanations(f, ranking(theirs), parameters);
    }

    static void addBeams(ObjectNode out, BeamSearch.Result result) {
        ArrayNode beams = out.putArray("beams");
        for (List<PatchSet> beam : result.beams()) {
            ArrayNode level = beams.addArray();
            beam.forEach(set -> level.add(set.bits()));
        }
    }

    static ObjectNode describe(String image, Explanation e, int classIndex) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("image", image);
        root.put("category", classIndex);
        root.put("pFull", e.prediction().probability());
        ArrayNode ranking = root.putArray("ranking");
        for (int p : e.ranking()) {
            ranking.add(p);
        }
        ArrayNode roots = root.putArray("roots");
        for (BeamSearch.Root r : e.roots()) {
            ObjectNode n = roots.addObject();
            n.put("bits", r.patches().bits());
            ArrayNode patches = n.putArray("patches");
            for (int p : r.patches().indices()) {
                patches.add(p);
            }
            n.put("confidence", r.confidence());
            n.put("relative", r.relative());
            n.put("level", r.level());
        }
        ArrayNode diverse = root.putArray("diverse");
        for (int d : e.diverseRoots()) {
            diverse.add(d);
        }
        ArrayNode sagRoots = root.putArray("sagRoots");
        for (PatchSet s : e.sag().roots()) {
            sagRoots.add(s.bits());
        }
        root.put("dnf", e.sag().dnf());
        ObjectNode sag = root.putObject("sag");
        ArrayNode nodes = sag.putArray("nodes");
        for (Sag.Node n : e.sag().nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("bits", n.patches().bits());
            o.put("relative", n.relative());
            o.put("root", n.root());
        }
        ArrayNode edges = sag.putArray("edges");
        for (Sag.Edge edge : e.sag().edges()) {
            edges.addArray().add(edge.parent()).add(edge.child());
        }
        ObjectNode evaluated = root.putObject("evaluated");
        for (Map.Entry<Long, Double> entry : e.evaluated().entrySet()) {
            evaluated.put(Long.toString(entry.getKey()), entry.getValue());
        }
        root.put("levels", e.searchLevels());
        return root;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("run")) {
            run(args);
        } else if (args.length == 3 && args[0].equals("replay")) {
            replay(Path.of(args[1]), Path.of(args[2]));
        } else {
            System.err.println("usage: OursRun run MODEL_DIR OUT_DIR THEIRS_DIR IMAGE... | replay THEIRS.json OUT.json");
            System.exit(2);
        }
    }

    static void run(String[] args) throws Exception {
        Path modelDir = Path.of(args[1]);
        Path outDir = Path.of(args[2]);
        Path theirsDir = Path.of(args[3]);
        Files.createDirectories(outDir);
        try (TorchScriptClassifier classifier = TorchScriptClassifier.open(ModelFolder.open(modelDir), "cpu", 0)) {
            Explainer explainer = new Explainer(classifier, parameters());
            ImageDecoder decoder = ImageDecoder.withDefaultLimits();
            for (int i = 4; i < args.length; i++) {
                Path image = Path.of(args[i]);
                String name = image.getFileName().toString();
                String stem = name.substring(0, name.lastIndexOf('.'));
                Path theirsFile = theirsDir.resolve(stem + ".json");
                if (!Files.exists(theirsFile)) {
                    System.err.println("no " + theirsFile + ", skipped");
                    continue;
                }
                JsonNode theirs = MAPPER.readTree(theirsFile.toFile());
                long t0 = System.nanoTime();
                ImageTensor tensor = ImagePreparation.resized(Files.readAllBytes(image), decoder,
                        classifier.inputSize()).toTensor();
                Explanation e = explain(explainer, tensor, theirs);
                ObjectNode out = describe(name, e, e.prediction().classIndex());
                Map<Long, Float> own = new HashMap<>();
                e.evaluated().forEach((bits, v) -> own.put(bits, v.floatValue()));
                BeamSearch.Result again = search(own, theirs);
                addBeams(out, again);
                out.put("searchRepeatable", again.roots().stream().map(BeamSearch.Root::patches).toList()
                        .equals(e.roots().stream().map(BeamSearch.Root::patches).toList()));
                MAPPER.writeValue(outDir.resolve(stem + ".json").toFile(), out);
                System.err.printf("%s: class %d p=%.5f roots=%d diverse=%d evaluated=%d %.1fs%n", stem,
                        e.prediction().classIndex(), e.prediction().probability(), e.roots().size(),
                        e.diverseRoots().length, e.evaluated().size(), (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** Answers f(S) from a table; the image is white and the baseline black, so the visible patches can be read back. */
    static final class LookupClassifier implements Classifier {
        final PatchGrid grid = PatchGrid.paper();
        final Map<Long, Float> values;
        final int classIndex;
        final Set<Long> missing = new LinkedHashSet<>();
        final Set<Long> missingAfterSearch = new LinkedHashSet<>();
        /** Values of their SAG's nodes (recomputed by their drawing code), used only where the search had none. */
        final Map<Long, Float> sagValues = new HashMap<>();
        boolean searchDone;

        LookupClassifier(Map<Long, Float> values, int classIndex) {
            this.values = values;
            this.classIndex = classIndex;
        }

        @Override
        public int inputSize() {
            return 224;
        }

        @Override
        public int classCount() {
            return 1000;
        }

        @Override
        public Normalization normalization() {
            return Normalization.IDENTITY;
        }

        long visible(ImageBatch batch, int index) {
            int size = batch.size();
            long bits = 0;
            for (int k = 0; k < 49; k++) {
                int y = (int) Math.round((k / 7) * (size - 1.0) / 6);
                int x = (int) Math.round((k % 7) * (size - 1.0) / 6);
                if (batch.data()[index * batch.imageLength() + y * size + x] > 0.5f) {
                    bits |= 1L << k;
                }
            }
            return bits;
        }

        @Override
        public float[][] probabilities(ImageBatch batch) {
            float[][] result = new float[batch.count()][];
            for (int i = 0; i < batch.count(); i++) {
                long bits = visible(batch, i);
                Float p = values.get(bits);
                if (p == null && searchDone) {
                    p = sagValues.get(bits);
                    if (p == null) {
                        missingAfterSearch.add(bits);
                        p = 0f;
                    }
                } else if (p == null) {
                    missing.add(bits);
                    p = 0f;
                }
                float[] row = new float[1000];
                java.util.Arrays.fill(row, (1 - p) / 999 * 0); // only the explained class matters
                row[classIndex] = p;
                result[i] = row;
            }
            return result;
        }
    }

    static void replay(Path theirsFile, Path outFile) throws Exception {
        JsonNode theirs = MAPPER.readTree(theirsFile.toFile());
        Map<Long, Float> values = new HashMap<>();
        theirs.get("evaluated").fields().forEachRemaining(
                entry -> values.put(Long.parseLong(entry.getKey()), (float) entry.getValue().asDouble()));
        values.put((1L << 49) - 1, (float) theirs.get("pFull").asDouble());
        // the explained class must be the arg max of the full image: put it at index 0 and leave the rest at 0
        LookupClassifier classifier = new LookupClassifier(values, 0);
        float pFull = (float) theirs.get("pFull").asDouble();
        if (theirs.has("sag")) {
            for (JsonNode node : theirs.get("sag").get("nodes")) {
                classifier.sagValues.put(node.get("bits").asLong(), (float) (node.get("relative").asDouble() * pFull));
            }
        }
        Explainer explainer = new Explainer(classifier, parameters());
        float[] white = new float[3 * 224 * 224];
        java.util.Arrays.fill(white, 1f);
        Explanation e = explain(explainer, new ImageTensor(224, 224, white), theirs, phase -> {
            if (phase.equals("search")) {
                classifier.searchDone = true;
            }
        });
        ObjectNode out = describe(theirs.get("image").asText(), e, theirs.get("category").asInt());
        addBeams(out, search(values, theirs));
        ArrayNode missing = out.putArray("missing");
        classifier.missing.forEach(missing::add);
        ArrayNode missingSag = out.putArray("missingAfterSearch");
        classifier.missingAfterSearch.forEach(missingSag::add);
        MAPPER.writeValue(outFile.toFile(), out);
        System.err.printf("%s: replay roots=%d missing=%d%n", theirs.get("image").asText(), e.roots().size(),
                classifier.missing.size());
    }
}
