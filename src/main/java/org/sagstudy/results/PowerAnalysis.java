package org.sagstudy.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How many participants a study needs, found by simulating studies from an item-level model (the model of
 * {@code analysis.R}) and analysing each as the analysis page's primary test does: min F' of SAG against every other
 * condition ({@link Statistics#minF}: participants and questions both treated as samples), Holm-adjusted over the
 * comparisons. In a simulated study every participant answers the same primary questions; the chance of a right
 * answer is, on the log-odds scale, the condition's expected accuracy plus the participant's skill, the question's
 * difficulty, and how much this condition's explanation helps on this question (each normal with its own spread). The
 * last term moves a whole condition together on a question, which a test on participants' means alone takes for an
 * effect; min F' does not, so under no effect the simulated power stays at alpha or below.
 */
public final class PowerAnalysis {

    /**
     * @param accuracy expected accuracy of a typical participant on a typical question, per condition (one must be
     *        {@code sag})
     * @param questions primary questions each participant answers
     * @param spread standard deviation of participants' skill on the log-odds scale (0: everyone alike)
     * @param itemSpread standard deviation of the questions' difficulty on the log-odds scale
     * @param itemConditionSpread standard deviation, per question and condition, of how much the condition's
     *        explanation helps on that question
     */
    public record Scenario(Map<String, Double> accuracy, int questions, double spread, double alpha,
            double itemSpread, double itemConditionSpread) {

        public static final double DEFAULT_SPREAD = 0.5;
        public static final double DEFAULT_ITEM_SPREAD = 1.0;
        public static final double DEFAULT_ITEM_CONDITION_SPREAD = 0.35;

        /** The stated accuracies with the default spreads. */
        public static Scenario typical(Map<String, Double> accuracy, int questions, double alpha) {
            return new Scenario(accuracy, questions, DEFAULT_SPREAD, alpha, DEFAULT_ITEM_SPREAD,
                    DEFAULT_ITEM_CONDITION_SPREAD);
        }
    }

    /**
     * Power at one size: per comparison ("sag vs gradcam"), and for all comparisons at once with its Monte Carlo
     * standard error.
     */
    public record Point(int participants, Map<String, Double> power, double all, double allError) {
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
            double[] difficulty = gaussians(scenario.questions(), scenario.itemSpread(), random);
            Group sag = group(scenario.accuracy().get(Analysis.SAG), n, scenario, difficulty, random);
            double[] p = new double[others.size()];
            for (int i = 0; i < others.size(); i++) {
                Group other = group(scenario.accuracy().get(others.get(i)), n, scenario, difficulty, random);
                double[] itemDifferences = new double[difficulty.length];
                for (int q = 0; q < difficulty.length; q++) {
                    itemDifferences[q] = sag.items()[q] - other.items()[q];
                }
                p[i] = Statistics.minF(sag.participants(), other.participants(), itemDifferences);
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
        double all = (double) allSignificant / simulations;
        return new Point(n, power, all, Math.sqrt(all * (1 - all) / simulations));
    }

    /** One simulated condition: its participants' accuracies and its accuracy on each question. */
    record Group(double[] participants, double[] items) {
    }

    /**
     * n simulated participants of one condition over the study's questions (their difficulties given), with this
     * condition's own help per question drawn once for the study.
     */
    static Group group(double accuracy, int n, Scenario scenario, double[] difficulty, Random random) {
        double logit = Math.log(accuracy / (1 - accuracy));
        double[] help = gaussians(difficulty.length, scenario.itemConditionSpread(), random);
        double[] accuracies = new double[n];
        double[] items = new double[difficulty.length];
        for (int i = 0; i < n; i++) {
            double skill = scenario.spread() * random.nextGaussian();
            int correct = 0;
            for (int q = 0; q < difficulty.length; q++) {
                double chance = 1 / (1 + Math.exp(-(logit + skill + difficulty[q] + help[q])));
                boolean right = random.nextDouble() < chance;
                correct += right ? 1 : 0;
                items[q] += right ? 1.0 / n : 0;
            }
            accuracies[i] = (double) correct / difficulty.length;
        }
        return new Group(accuracies, items);
    }

    private static double[] gaussians(int count, double sd, Random random) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = sd * random.nextGaussian();
        }
        return values;
    }
}
