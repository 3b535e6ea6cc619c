package org.sagstudy.explain;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine computed for one image.
 *
 * @param ranking         patch indices, most important first, that steered the search
 * @param rankingGiven    whether the ranking was supplied instead of computed by I-GOS
 * @param igosSearchImportance  the 7x7 I-GOS importance (1 - mask) behind the ranking (null when given)
 * @param roots           every minimal sufficient explanation, in discovery order
 * @param diverseRoots    indices into {@code roots} of the diverse subset
 * @param gradCam         Grad-CAM heat map (null if not computed)
 * @param paperSag        the same roots drawn as the paper's figures: the authors' forest (reference-mode SAG)
 * @param igosHeatMap     I-GOS importance at display resolution (null if not computed)
 * @param millis          time per phase
 * @param phasePasses     images through the model per phase (with or without gradient)
 * @param evaluated       every f(S) computed for this image, by patch bit mask (for questions built later)
 */
public record Explanation(Prediction prediction, int[] ranking, boolean rankingGiven, float[] igosSearchImportance,
        List<BeamSearch.Root> roots, int[] diverseRoots, Sag sag, Sag paperSag, HeatMap gradCam, HeatMap igosHeatMap,
        long noiseSeed, int searchLevels, EvaluationStats.Snapshot stats, Map<String, Long> millis,
        Map<String, Long> phasePasses, Map<Long, Double> evaluated) {
}
