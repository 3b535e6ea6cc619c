package org.sagstudy.jobs;

import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Minimality;
import org.sagstudy.explain.SearchMode;
import org.sagstudy.explain.SearchParameters;

/**
 * The parameters a job is queued with, stored as JSON in {@code job.parameters}. {@code igosDisplayBaseline} is absent
 * from jobs queued before it existed (they drew the displayed I-GOS map on the black baseline).
 */
public record JobParameters(int beamWidth, int candidatesPerMember, int maxRoots, double threshold, String mode,
        String minimality, int overlap, int sagRoots, double expandThreshold, int maxSagNodes, String baseline,
        String igosDisplayBaseline, boolean heatMaps, long seed) {

    public static JobParameters defaults() {
        ExplainParameters paper = ExplainParameters.PAPER;
        SearchParameters search = paper.search();
        return new JobParameters(search.beamWidth(), search.candidatesPerMember(), search.maxRoots(),
                search.threshold(), search.mode().label(), "greedy", paper.overlap(), paper.sagRoots(),
                paper.expandThreshold(), paper.maxSagNodes(), "black", "blur", paper.heatMaps(), paper.seed());
    }

    public ExplainParameters toExplainParameters() {
        ExplainParameters paper = ExplainParameters.PAPER;
        SearchParameters search = new SearchParameters(beamWidth, candidatesPerMember, maxRoots, threshold,
                paper.search().maxLevels(), SearchMode.parse(mode), Minimality.parse(minimality));
        return new ExplainParameters(paper.gridSide(), paper.search(), overlap, sagRoots, expandThreshold, maxSagNodes,
                Baseline.parse(baseline), paper.searchIgos(), paper.displayIgos(),
                Baseline.parse(igosDisplayBaseline == null ? "black" : igosDisplayBaseline), heatMaps, seed)
                .withSearch(search);
    }
}
