package org.sagstudy.explanations;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.BeamSearch;
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
 * The engine's document for one image, as {@code explain} writes it and the server stores it: what was explained,
 * with which model and parameters, and every result. Apart from {@code stats.millis} and {@code stats.modelMillis},
 * the same inputs give the same document. Heat maps are absent when they were not computed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredExplanation(String image, String imageSha256, String engine, ModelIdentity model,
        Predicted predicted, @JsonProperty("pFull") double pFull, Parameters parameters, int[] igosRanking,
        float[] igosSearchImportance, List<Root> roots, int[] diverseRoots, List<int[]> sagRoots, String dnf,
        StoredSag sag, StoredSag paperSag, float[] gradcam7x7, StoredHeatMap gradcamMap, float[] igos7x7, StoredHeatMap igosMap,
        Stats stats) {

    public static final String ENGINE_VERSION = "sag-study-engine/1";

    /** {@code precision}: the {@link org.sagstudy.model.ModelVariant} label of the forward passes. */
    public record ModelIdentity(String name, String sha256, String device, String precision) {
    }

    public record Predicted(int index, String wnid, String label) {
    }

    /** Every setting that determines the result besides the model and the image. */
    public record Parameters(String mode, int grid, int beamWidth, int candidatesPerMember, int maxRoots,
            double threshold, int maxLevels, String minimality, int overlap, int sagRoots, double expandThreshold,
            int maxSagNodes, String baseline, String masking, String ranking, IgosSettings igosSearch,
            IgosSettings igosDisplay, boolean heatMaps, long seed, long noiseSeed) {
    }

    /** One I-GOS run's settings with the baseline it deleted towards. */
    public record IgosSettings(int maskSide, int iterations, int integrationSteps, double l1, double tv,
            double noiseSigma, String noise, String baseline) {

        static IgosSettings of(Igos.Settings settings, Baseline baseline) {
            return new IgosSettings(settings.maskSide(), settings.iterations(), settings.integrationSteps(),
                    settings.l1(), settings.tv(), settings.noiseSigma(), lower(settings.noise()), lower(baseline));
        }
    }

    public record Root(int[] patches, double confidence, double relative, int level) {
    }

    public record StoredSag(boolean truncated, List<Node> nodes, List<Edge> edges) {
    }

    public record Node(int id, int[] patches, double confidence, double relative, boolean root) {
    }

    public record Edge(int parent, int child, int removedPatch, double drop) {
    }

    /** A heat map at the resolution it was computed at ({@link HeatMap}). */
    public record StoredHeatMap(int side, float[] values) {
    }

    public record Stats(long forwardPasses, long batches, long cacheHits, long gradientPasses, long gradientBatches,
            int searchLevels, Map<String, Long> passesByPhase, long modelMillis, Map<String, Long> millis) {
    }

    public static StoredExplanation of(String image, String imageSha256, ModelFolder model, String device,
            ExplainParameters parameters, Explanation explanation, PatchGrid grid) {
        int index = explanation.prediction().classIndex();
        Sag sag = explanation.sag();
        HeatMap gradCam = explanation.gradCam();
        HeatMap igos = explanation.igosHeatMap();
        var stats = explanation.stats();
        return new StoredExplanation(image, imageSha256, ENGINE_VERSION,
                new ModelIdentity(model.name(), model.sha256(), device, model.variant().label()),
                new Predicted(index, model.wnids().get(index), model.labels().get(index)),
                explanation.prediction().probability(), parameters(parameters, explanation), explanation.ranking(),
                explanation.igosSearchImportance(),
                explanation.roots().stream().map(StoredExplanation::root).toList(), explanation.diverseRoots(),
                sag.roots().stream().map(PatchSet::indices).toList(), sag.dnf(), stored(sag),
                stored(explanation.paperSag()),
                gradCam == null ? null : grid.averagePool(gradCam.toImage(grid.imageSize()), grid.imageSize()),
                gradCam == null ? null : new StoredHeatMap(gradCam.side(), gradCam.values()),
                igos == null ? null : grid.averagePool(igos.toImage(grid.imageSize()), grid.imageSize()),
                igos == null ? null : new StoredHeatMap(igos.side(), igos.values()),
                new Stats(stats.forwardPasses(), stats.batches(), stats.cacheHits(), stats.gradientPasses(),
                        stats.gradientBatches(), explanation.searchLevels(), explanation.phasePasses(),
                        stats.modelMillis(), explanation.millis()));
    }

    private static Root root(BeamSearch.Root found) {
        return new Root(found.patches().indices(), found.confidence(), found.relative(), found.level());
    }

    private static Parameters parameters(ExplainParameters p, Explanation explanation) {
        SearchParameters s = p.search();
        return new Parameters(s.mode().label(), p.gridSide(), s.beamWidth(), s.candidatesPerMember(), s.maxRoots(),
                s.threshold(), s.maxLevels(), lower(s.minimality()), p.overlap(), p.sagRoots(), p.expandThreshold(),
                p.maxSagNodes(), lower(p.baseline()), "bilinear-align-corners",
                explanation.rankingGiven() ? "given" : "igos", IgosSettings.of(p.searchIgos(), p.baseline()),
                IgosSettings.of(p.displayIgos(), p.igosDisplayBaseline()), p.heatMaps(), p.seed(), explanation.noiseSeed());
    }

    private static StoredSag stored(Sag sag) {
        return new StoredSag(sag.truncated(),
                sag.nodes().stream().map(n -> new Node(n.id(), n.patches().indices(), n.confidence(), n.relative(),
                        n.root())).toList(),
                sag.edges().stream().map(e -> new Edge(e.parent(), e.child(), e.removedPatch(), e.drop())).toList());
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The full SAG as the engine built it (a DAG in the default mode). */
    public Sag toSag() {
        return toSag(sag);
    }

    /** The same roots as the paper's figures draw them (the authors' forest); empty for older documents. */
    public Optional<Sag> toPaperSag() {
        return Optional.ofNullable(paperSag).map(this::toSag);
    }

    private Sag toSag(StoredSag stored) {
        List<Sag.Node> nodes = new ArrayList<>();
        for (Node node : stored.nodes()) {
            nodes.add(new Sag.Node(node.id(), PatchSet.of(node.patches()), node.confidence(), node.relative(),
                    node.root()));
        }
        List<Sag.Edge> edges = stored.edges().stream()
                .map(e -> new Sag.Edge(e.parent(), e.child(), e.removedPatch(), e.drop())).toList();
        return new Sag(nodes, edges, sagRoots.stream().map(PatchSet::of).toList(), stored.truncated());
    }

    /** The heat map of {@code kind} at its own resolution; empty when it was not computed. */
    public Optional<HeatMap> heatMap(HeatMap.Kind kind) {
        StoredHeatMap map = kind == HeatMap.Kind.GRADCAM ? gradcamMap : igosMap;
        return Optional.ofNullable(map).map(m -> new HeatMap(kind, m.side(), m.values()));
    }

    /** The heat map of {@code kind} averaged over the patches of the grid; empty when it was not computed. */
    public Optional<float[]> pooledHeat(HeatMap.Kind kind) {
        return Optional.ofNullable(kind == HeatMap.Kind.GRADCAM ? gradcam7x7 : igos7x7);
    }
}
