package org.sagstudy.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.sagstudy.explain.BeamSearch;
import org.sagstudy.explain.EvaluationStats;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.Igos;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;
import org.sagstudy.explain.SearchParameters;
import org.sagstudy.model.ModelFolder;

/**
 * The engine's JSON for one image: what was explained, with which model and parameters, and every result. Apart from
 * {@code stats.millis} and {@code stats.modelMillis}, the same inputs give the same document.
 */
public final class ExplanationJson {

    public static final String ENGINE_VERSION = "sag-study-engine/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExplanationJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode of(String image, String imageSha256, ModelFolder model, String device,
            ExplainParameters parameters, Explanation explanation, PatchGrid grid) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("image", image);
        root.put("imageSha256", imageSha256);
        root.put("engine", ENGINE_VERSION);
        ObjectNode modelNode = root.putObject("model");
        modelNode.put("name", model.name());
        modelNode.put("sha256", model.sha256());
        modelNode.put("device", device);
        int index = explanation.prediction().classIndex();
        ObjectNode predicted = root.putObject("predicted");
        predicted.put("index", index);
        predicted.put("wnid", model.wnids().get(index));
        predicted.put("label", model.labels().get(index));
        root.put("pFull", explanation.prediction().probability());
        root.set("parameters", parameters(parameters, explanation));
        root.set("igosRanking", ints(explanation.ranking()));
        if (explanation.igosSearchImportance() != null) {
            root.set("igosSearchImportance", floats(explanation.igosSearchImportance()));
        }
        ArrayNode roots = root.putArray("roots");
        for (BeamSearch.Root found : explanation.roots()) {
            ObjectNode node = roots.addObject();
            node.set("patches", patches(found.patches()));
            node.put("confidence", found.confidence());
            node.put("relative", found.relative());
            node.put("level", found.level());
        }
        root.set("diverseRoots", ints(explanation.diverseRoots()));
        ArrayNode sagRoots = root.putArray("sagRoots");
        explanation.sag().roots().forEach(set -> sagRoots.add(patches(set)));
        root.put("dnf", explanation.sag().dnf());
        root.set("sag", sag(explanation.sag()));
        if (explanation.gradCam() != null) {
            root.set("gradcam7x7", floats(grid.averagePool(explanation.gradCam().toImage(grid.imageSize()),
                    grid.imageSize())));
            root.set("gradcamMap", heatMap(explanation.gradCam()));
        }
        if (explanation.igosHeatMap() != null) {
            root.set("igos7x7", floats(grid.averagePool(explanation.igosHeatMap().toImage(grid.imageSize()),
                    grid.imageSize())));
            root.set("igosMap", heatMap(explanation.igosHeatMap()));
        }
        root.set("stats", stats(explanation));
        return root;
    }

    private static ObjectNode heatMap(HeatMap map) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("side", map.side());
        node.set("values", floats(map.values()));
        return node;
    }

    /** A heat map stored by {@link #of}: {@code kind} tells how it is upsampled. */
    public static HeatMap readHeatMap(JsonNode node, HeatMap.Kind kind) {
        float[] values = new float[node.get("values").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) node.get("values").get(i).asDouble();
        }
        return new HeatMap(kind, node.get("side").asInt(), values);
    }

    private static ObjectNode parameters(ExplainParameters p, Explanation explanation) {
        ObjectNode node = MAPPER.createObjectNode();
        SearchParameters s = p.search();
        node.put("mode", s.mode().label());
        node.put("grid", p.gridSide());
        node.put("beamWidth", s.beamWidth());
        node.put("candidatesPerMember", s.candidatesPerMember());
        node.put("maxRoots", s.maxRoots());
        node.put("threshold", s.threshold());
        node.put("maxLevels", s.maxLevels());
        node.put("minimality", s.minimality().name().toLowerCase(java.util.Locale.ROOT));
        node.put("overlap", p.overlap());
        node.put("sagRoots", p.sagRoots());
        node.put("expandThreshold", p.expandThreshold());
        node.put("maxSagNodes", p.maxSagNodes());
        node.put("baseline", p.baseline().name().toLowerCase(java.util.Locale.ROOT));
        node.put("masking", "bilinear-align-corners");
        node.put("ranking", explanation.rankingGiven() ? "given" : "igos");
        node.set("igosSearch", igos(p.searchIgos()));
        node.set("igosDisplay", igos(p.displayIgos()));
        node.put("heatMaps", p.heatMaps());
        node.put("seed", p.seed());
        node.put("noiseSeed", explanation.noiseSeed());
        return node;
    }

    private static ObjectNode igos(Igos.Settings settings) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("maskSide", settings.maskSide());
        node.put("iterations", settings.iterations());
        node.put("integrationSteps", settings.integrationSteps());
        node.put("l1", settings.l1());
        node.put("tv", settings.tv());
        node.put("noiseSigma", settings.noiseSigma());
        node.put("noise", settings.noise().name().toLowerCase(java.util.Locale.ROOT));
        return node;
    }

    public static ObjectNode sag(Sag sag) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("truncated", sag.truncated());
        ArrayNode nodes = node.putArray("nodes");
        for (Sag.Node n : sag.nodes()) {
            ObjectNode item = nodes.addObject();
            item.put("id", n.id());
            item.set("patches", patches(n.patches()));
            item.put("confidence", n.confidence());
            item.put("relative", n.relative());
            item.put("root", n.root());
        }
        ArrayNode edges = node.putArray("edges");
        for (Sag.Edge e : sag.edges()) {
            ObjectNode item = edges.addObject();
            item.put("parent", e.parent());
            item.put("child", e.child());
            item.put("removedPatch", e.removedPatch());
            item.put("drop", e.drop());
        }
        return node;
    }

    private static ObjectNode stats(Explanation explanation) {
        EvaluationStats.Snapshot stats = explanation.stats();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("forwardPasses", stats.forwardPasses());
        node.put("batches", stats.batches());
        node.put("cacheHits", stats.cacheHits());
        node.put("gradientPasses", stats.gradientPasses());
        node.put("gradientBatches", stats.gradientBatches());
        node.put("searchLevels", explanation.searchLevels());
        ObjectNode passes = node.putObject("passesByPhase");
        explanation.phasePasses().forEach(passes::put);
        node.put("modelMillis", stats.modelMillis());
        ObjectNode phases = node.putObject("millis");
        explanation.millis().forEach(phases::put);
        return node;
    }

    static ArrayNode patches(PatchSet set) {
        return ints(set.indices());
    }

    static ArrayNode ints(int[] values) {
        ArrayNode array = MAPPER.createArrayNode();
        for (int v : values) {
            array.add(v);
        }
        return array;
    }

    static ArrayNode floats(float[] values) {
        ArrayNode array = MAPPER.createArrayNode();
        for (float v : values) {
            array.add(v);
        }
        return array;
    }

    /** The SAG of a stored explanation document. */
    public static Sag readSag(JsonNode document) {
        List<Sag.Node> nodes = new ArrayList<>();
        for (JsonNode node : document.at("/sag/nodes")) {
            nodes.add(new Sag.Node(node.get("id").asInt(), readPatches(node.get("patches")),
                    node.get("confidence").asDouble(), node.get("relative").asDouble(), node.get("root").asBoolean()));
        }
        List<Sag.Edge> edges = new ArrayList<>();
        for (JsonNode edge : document.at("/sag/edges")) {
            edges.add(new Sag.Edge(edge.get("parent").asInt(), edge.get("child").asInt(),
                    edge.get("removedPatch").asInt(), edge.get("drop").asDouble()));
        }
        List<PatchSet> roots = new ArrayList<>();
        document.get("sagRoots").forEach(root -> roots.add(readPatches(root)));
        return new Sag(nodes, edges, roots, document.at("/sag/truncated").asBoolean());
    }

    public static PatchSet readPatches(JsonNode patches) {
        List<Integer> list = new ArrayList<>();
        patches.forEach(p -> list.add(p.asInt()));
        return PatchSet.of(list);
    }
}
