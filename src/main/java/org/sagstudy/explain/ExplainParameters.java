package org.sagstudy.explain;

/**
 * Everything that determines an explanation besides the model and the image; recorded with every result.
 *
 * @param overlap          diverse roots share at most this many patches
 * @param sagRoots         how many of the diverse roots the SAG shows
 * @param expandThreshold  SAG nodes above this relative confidence are expanded
 * @param maxSagNodes      the SAG stops growing at this many nodes (large roots would otherwise give thousands)
 * @param igosDisplayBaseline what the displayed I-GOS map deletes towards: I-GOS's own Gaussian blur by default (the
 *                         search keeps the explanation's {@code baseline}, as the authors' SAG code does)
 * @param heatMaps         whether to compute the displayed Grad-CAM and I-GOS heat maps
 * @param seed             combined with the image's content hash to seed the I-GOS noise
 */
public record ExplainParameters(int gridSide, SearchParameters search, int overlap, int sagRoots,
        double expandThreshold, int maxSagNodes, Baseline baseline, Igos.Settings searchIgos, Igos.Settings displayIgos,
        Baseline igosDisplayBaseline, boolean heatMaps, long seed) {

    public static final ExplainParameters PAPER = new ExplainParameters(7, SearchParameters.PAPER, 1, 3, 0.4, 100,
            Baseline.BLACK, Igos.Settings.SEARCH, Igos.Settings.DISPLAY, Baseline.BLUR, true, 0L);

    public ExplainParameters {
        if (gridSide < 2 || gridSide * gridSide > 64) {
            throw new IllegalArgumentException("grid side must be 2..8 (patch sets are 64-bit masks)");
        }
        if (overlap < 0 || sagRoots < 1 || maxSagNodes < sagRoots) {
            throw new IllegalArgumentException("overlap must be >= 0, SAG roots >= 1, and SAG nodes >= SAG roots");
        }
    }

    /** The reference mode also draws I-GOS noise the way the authors' code does. */
    public ExplainParameters withSearch(SearchParameters parameters) {
        Igos.Noise noise = parameters.mode() == SearchMode.REFERENCE ? Igos.Noise.REFERENCE : Igos.Noise.SPEC;
        return new ExplainParameters(gridSide, parameters, overlap, sagRoots, expandThreshold, maxSagNodes, baseline,
                searchIgos.withNoise(noise), displayIgos, igosDisplayBaseline, heatMaps, seed);
    }

    public ExplainParameters withHeatMaps(boolean enabled) {
        return new ExplainParameters(gridSide, search, overlap, sagRoots, expandThreshold, maxSagNodes, baseline,
                searchIgos, displayIgos, igosDisplayBaseline, enabled, seed);
    }

    public ExplainParameters withBaseline(Baseline newBaseline) {
        return new ExplainParameters(gridSide, search, overlap, sagRoots, expandThreshold, maxSagNodes, newBaseline,
                searchIgos, displayIgos, igosDisplayBaseline, heatMaps, seed);
    }

    public ExplainParameters withIgosDisplayBaseline(Baseline newBaseline) {
        return new ExplainParameters(gridSide, search, overlap, sagRoots, expandThreshold, maxSagNodes, baseline,
                searchIgos, displayIgos, newBaseline, heatMaps, seed);
    }

    public ExplainParameters withSeed(long newSeed) {
        return new ExplainParameters(gridSide, search, overlap, sagRoots, expandThreshold, maxSagNodes, baseline,
                searchIgos, displayIgos, igosDisplayBaseline, heatMaps, newSeed);
    }
}
