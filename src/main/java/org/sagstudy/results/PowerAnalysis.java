package org.sagstudy.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How many participants a study needs, found by simulating studies and analysing each as the analysis page does:
 * Welch's t-test of SAG against every other condition on per-participant accuracies, Holm-adjusted over the
 * comparisons. A simulated participant's chance of a right answer is the condition's expected accuracy shifted on
 * the log-odds scale by the participant's own skill (normal, with the given spread), and they answer the given number
 * of questions.
 */
public final class PowerAnalysis {

    /**
     * @param accuracy expected accuracy of a typical participant per condition (one must be {@code sag})
     * @param spread standard deviation of participants' skill on the log-odds scale (0: everyone alike)
     */
    public record Scenario(Map<String, Double> accuracy, int questions, double spread, double alpha) {
    }

    /** Power at one size: per comparison ("sag vs gradcam"), and for all comparisons at once. */
    public record Point(int participants, Map<String, Double> power, double all) {
    }

    /**
     * The power curve and, per comparison and for all together, the fewest participants per condition that reach
     * {@code target} (null when none of the sizes tried does).
     */
    public record Result(List<Point> curve, Map<String, Integer> required, Integer requiredForAll, double target,
            int simulations) {
    }

    static final int[] SIZES = {5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250, 300};

    private PowerAnalysis() {
    }

    /** Power at one number of participants per condition. */
    public static Point at(Scenario scenario, int participants, int simulations, long seed) {
        List<String> others = scenario.accuracy().keySet().stream().filter(c -> !c.equals(Analysis.SAG)).toList();
        return power(scenario, others, participants, simulations, new Random(seed));
    }

    public static Result run(Scenario scenario, double target, int simulations, long seed) {
        if (!scenario.accuracy().containsKey(Analysis.SAG) || scenario.accuracy().size() < 2) {
            throw new IllegalArgumentException("the scenario needs an expected accuracy for sag and another condition");
        }
        List<String> others = scenario.accuracy().keySet().stream().filter(c -> !c.equals(Analysis.SAG)).toList();
        List<Point> curve = new ArrayList<>();
        Map<String, Integer> required = new LinkedHashMap<>();
        Integer requiredForAll = null;
        Random random = new Random(seed);
        for (int n : SIZES) {
            Point point = power(scenario, others, n, simulations, random);
            curve.add(point);
            point.power().forEach((comparison, power) -> {
                if (power >= target) {
                    required.putIfAbsent(comparison, n);
                }
            });
            if (requiredForAll == null && point.all() >= target) {
                requiredForAll = n;
            }
        }
        return new Result(curve, required, requiredForAll, target, simulations);
    }

    /** The share of simulated studies with n participants per condition in which SAG differs significantly. */
    static Point power(Scenario scenario, List<String> others, int n, int simulations, Random random) {
        int[] significant = new int[others.size()];
        int allSignificant = 0;
        for (int s = 0; s < simulations; s++) {
            double[] sag = participants(scenario.accuracy().get(Analysis.SAG), n, scenario, random);
            double[] p = new double[others.size()];
            for (int i = 0; i < others.size(); i++) {
                p[i] = Statistics.welch(sag, participants(scenario.accuracy().get(others.get(i)), n, scenario,
                        random));
            }
            double[] holm = Statistics.holm(p);
            boolean all = true;
            for (int i = 0; i < others.size(); i++) {
                boolean hit = holm[i] < scenario.alpha();
                significant[i] += hit ? 1 : 0;
                all &= hit;
            }
            allSignificant += all ? 1 : 0;
        }
        Map<String, Double> power = new LinkedHashMap<>();
        for (int i = 0; i < others.size(); i++) {
            power.put("sag vs " + others.get(i), (double) significant[i] / simulations);
        }
        return new Point(n, power, (double) allSignificant / simulations);
    }

    /** The accuracies of n simulated participants of one condition. */
    static double[] participants(double accuracy, int n, Scenario scenario, Random random) {
        double logit = Math.log(accuracy / (1 - accuracy));
        double[] accuracies = new double[n];
        for (int i = 0; i < n; i++) {
            double chance = 1 / (1 + Math.exp(-(logit + scenario.spread() * random.nextGaussian())));
            int correct = 0;
            for (int q = 0; q < scenario.questions(); q++) {
                correct += random.nextDouble() < chance ? 1 : 0;
            }
            accuracies[i] = (double) correct / scenario.questions();
        }
        return accuracies;
    }
}
