package org.sagstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The power curve's promises, checked by simulating fresh studies with other random numbers. */
class PowerAnalysisTest {

    private static final double ALPHA = 0.05;

    /** The share of {@code studies} fresh simulated studies of n per condition in which SAG differs significantly. */
    private static double observedPower(PowerAnalysis.Scenario scenario, int n, int studies, long seed) {
        List<String> others = scenario.accuracy().keySet().stream().filter(c -> !c.equals("sag")).sorted().toList();
        return PowerAnalysis.power(scenario, others, n, studies, new Random(seed)).all();
    }

    @Test
    void aLargeEffectReachesTheAskedPowerAtTheSizeTheCurveNames() {
        PowerAnalysis.Scenario scenario = new PowerAnalysis.Scenario(Map.of("sag", 0.8, "gradcam", 0.6), 20, 0.5,
                ALPHA, 1.0, 0.35);
        PowerAnalysis.Result result = PowerAnalysis.run(scenario, 0.8, 400, 11);
        Integer required = result.requiredForAll();
        assertNotNull(required, "a 20-point difference is detectable within the sizes tried");
        assertEquals(required, result.required().get("sag vs gradcam"));
        assertTrue(required >= 10 && required <= 60, "about 20-30 per condition for this effect: " + required);
        // at the named size, studies never seen by the curve reach the power (sampling error of 1000 studies: 1.3%)
        assertTrue(observedPower(scenario, required, 1000, 99) >= 0.8 - 0.04);
        // and one size smaller does not (otherwise the curve would have named it)
        int smaller = PowerAnalysis.SIZES[java.util.Arrays.binarySearch(PowerAnalysis.SIZES, required) - 1];
        assertTrue(observedPower(scenario, smaller, 1000, 98) < 0.8 + 0.04);
        // power grows with participants
        List<PowerAnalysis.Point> curve = result.curve();
        assertTrue(curve.get(0).all() < curve.get(curve.size() - 1).all());
        assertTrue(curve.get(curve.size() - 1).all() > 0.99);
    }

    @Test
    void withoutAnEffectSignificanceStaysAtAlphaOrBelow() {
        // questions differ in difficulty, but every explanation helps alike on each
        PowerAnalysis.Scenario scenario = new PowerAnalysis.Scenario(Map.of("sag", 0.7, "gradcam", 0.7), 20, 0.5,
                ALPHA, 1.0, 0);
        // 600 studies: the share's standard error at 0.05 is 0.009; min F' is conservative, so it may stay below
        for (int n : new int[] {10, 40}) {
            double falsePositives = observedPower(scenario, n, 600, n);
            assertTrue(falsePositives > 0.005 && falsePositives < ALPHA + 0.018, n + " per condition: "
                    + falsePositives);
        }
        // Holm over two null comparisons keeps the family's error at alpha too
        PowerAnalysis.Scenario three = new PowerAnalysis.Scenario(Map.of("sag", 0.7, "gradcam", 0.7, "igos", 0.7),
                20, 0.5, ALPHA, 1.0, 0);
        Map<String, Double> either = PowerAnalysis.power(three, List.of("gradcam", "igos"), 30, 600, new Random(5))
                .power();
        double anyRejected = either.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(anyRejected < 0.08, "each comparison's rejections, summed, bound the family error: " + anyRejected);
    }

    @Test
    void questionsOnWhichOneExplanationHelpsMoreFoolTheParticipantTestButNotMinF() {
        // with a question x condition spread of 0.7 and no effect, a test on participants' means takes the drawn
        // questions' luck for an effect; min F', the test the power rests on, does not
        PowerAnalysis.Scenario scenario = new PowerAnalysis.Scenario(Map.of("sag", 0.7, "gradcam", 0.7), 20, 0.5,
                ALPHA, 1.0, 0.7);
        Random random = new Random(3);
        int studies = 600;
        int welch = 0;
        int minF = 0;
        for (int s = 0; s < studies; s++) {
            double[] difficulty = new double[20];
            for (int q = 0; q < difficulty.length; q++) {
                difficulty[q] = random.nextGaussian();
            }
            PowerAnalysis.Group sag = PowerAnalysis.group(0.7, 30, scenario, difficulty, random);
            PowerAnalysis.Group gradcam = PowerAnalysis.group(0.7, 30, scenario, difficulty, random);
            double[] differences = new double[difficulty.length];
            for (int q = 0; q < difficulty.length; q++) {
                differences[q] = sag.items()[q] - gradcam.items()[q];
            }
            welch += Statistics.welch(sag.participants(), gradcam.participants()) < ALPHA ? 1 : 0;
            minF += Statistics.minF(sag.participants(), gradcam.participants(), differences) < ALPHA ? 1 : 0;
        }
        double error = Math.sqrt(ALPHA * (1 - ALPHA) / studies);
        assertTrue((double) welch / studies > ALPHA + 3 * error, "Welch under no effect: " + welch + "/" + studies);
        assertTrue((double) minF / studies < ALPHA + 2 * error, "min F' under no effect: " + minF + "/" + studies);
        PowerAnalysis.Point point = PowerAnalysis.power(scenario, List.of("gradcam"), 30, studies, new Random(4));
        assertTrue(point.all() < ALPHA + 2 * error, "the simulated power under no effect: " + point.all());
        assertEquals(Math.sqrt(point.all() * (1 - point.all()) / studies), point.allError(), 1e-12);
    }
}
