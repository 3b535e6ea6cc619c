package org.sagstudy.results;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.FisherExactTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.TTest;

/**
 * The statistics of the analysis; tests come from Apache Commons Statistics. Participants are the unit: intervals and
 * tests on per-participant accuracies, the bootstrap resamples participants. Wilson and Fisher count answers as if
 * independent and are reported only as such.
 */
public final class Statistics {

    /** An interval with its point estimate. */
    public record Interval(double estimate, double low, double high) {
    }

    /** Correct and total answers of one participant (the bootstrap's cluster). */
    public record Cluster(int correct, int answers) {
    }

    static final double Z95 = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.975);

    private Statistics() {
    }

    /** The Wilson score interval (95%) for {@code successes} of {@code trials}. */
    public static Interval wilson(int successes, int trials) {
        if (trials == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double p = (double) successes / trials;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / trials;
        double center = (p + z2 / (2.0 * trials)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials)) / denominator;
        return new Interval(p, Math.max(0, center - half), Math.min(1, center + half));
    }

    /**
     * The mean of proportions (accuracies) with its 95% t interval, clipped to [0, 1] where it would leave the range
     * near a floor or ceiling; bounds NaN with fewer than two values.
     */
    public static Interval tInterval(double[] values) {
        if (values.length == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        if (values.length < 2) {
            return new Interval(mean, Double.NaN, Double.NaN);
        }
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1);
        double half = TDistribution.of(values.length - 1).inverseCumulativeProbability(0.975)
                * Math.sqrt(variance / values.length);
        return new Interval(mean, Math.max(0, mean - half), Math.min(1, mean + half));
    }

    /**
     * Two-sided Welch t-test (unequal variances) of two groups' values; NaN with fewer than two in a group. Two groups
     * without any spread: equal means give p = 1; different means leave the test undefined (NaN, shown as "not
     * testable"), since nothing in the data says how surprising the gap is: it is not p = 0.
     */
    public static double welch(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return Double.NaN;
        }
        double p = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC).test(a, b).getPValue();
        return Double.isNaN(p) && mean(a) == mean(b) ? 1 : p;
    }

    /**
     * Two one-sided Welch tests (TOST) that the difference of means lies within ±{@code margin}: the larger of the
     * two one-sided p-values; below alpha, the groups are equivalent within the margin. NaN with fewer than two in a
     * group or without any spread.
     */
    public static double equivalence(double[] a, double[] b, double margin) {
        if (a.length < 2 || b.length < 2) {
            return Double.NaN;
        }
        double va = variance(a) / a.length;
        double vb = variance(b) / b.length;
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return Double.NaN;
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        TDistribution t = TDistribution.of(df);
        double difference = mean(a) - mean(b);
        double aboveLower = t.survivalProbability((difference + margin) / se);
        double belowUpper = t.cumulativeProbability((difference - margin) / se);
        return Math.max(aboveLower, belowUpper);
    }

    /**
     * Clark's (1973) min F', two-sided, for a difference between two groups of participants who answer the same
     * questions: the by-participant test (Welch on participants' accuracies, F1 = t1²) and the by-question test (a
     * one-sample t on each question's accuracy difference between the groups, F2 = t2²) combined as
     * minF' = F1·F2 / (F1 + F2) with (F1 + F2)² / (F1²/df2 + F2²/df1) denominator degrees of freedom. It treats both
     * participants and questions as samples, so luck in which questions a study drew (questions on which one group's
     * explanation happens to help) is not taken for an effect, as it is by a test on participants alone; it errs on the
     * conservative side. NaN with fewer than two participants per group or two questions; 1 when either test sees no
     * difference at all.
     *
     * @param itemDifferences per question, the accuracy of group a minus that of group b
     */
    public static double minF(double[] a, double[] b, double[] itemDifferences) {
        if (a.length < 2 || b.length < 2 || itemDifferences.length < 2) {
            return Double.NaN;
        }
        double va = variance(a) / a.length;
        double vb = variance(b) / b.length;
        double difference = mean(a) - mean(b);
        double f1 = difference * difference / (va + vb);
        double df1 = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        double itemMean = mean(itemDifferences);
        double f2 = itemMean * itemMean / (variance(itemDifferences) / itemDifferences.length);
        double df2 = itemDifferences.length - 1;
        // 0/0: equal means without any spread say nothing against "no difference"
        f1 = Double.isNaN(f1) ? 0 : f1;
        f2 = Double.isNaN(f2) ? 0 : f2;
        if (f1 == 0 || f2 == 0) {
            return 1;
        }
        if (Double.isInfinite(f1) || Double.isInfinite(f2)) {
            // one test without any spread: the other one bounds min F'
            double f = Double.isInfinite(f1) ? f2 : f1;
            double df = Double.isInfinite(f1) ? df2 : df1;
            // both without spread, and both different: as clear as data get
            return Double.isInfinite(f) ? 0 : 2 * TDistribution.of(df).survivalProbability(Math.sqrt(f));
        }
        double minF = f1 * f2 / (f1 + f2);
        double df = (f1 + f2) * (f1 + f2) / (f1 * f1 / df2 + f2 * f2 / df1);
        return 2 * TDistribution.of(df).survivalProbability(Math.sqrt(minF));
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double variance(double[] values) {
        double mean = mean(values);
        return Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1);
    }

    /** Two-sided Mann-Whitney U test of two groups' values; NaN when a group is empty. */
    public static double mannWhitney(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            return Double.NaN;
        }
        return MannWhitneyUTest.withDefaults().test(a, b).getPValue();
    }

    /** Two-sided Fisher exact test on the 2x2 table of correct and wrong answers of two conditions. */
    public static double fisher(int correctA, int wrongA, int correctB, int wrongB) {
        return FisherExactTest.withDefaults().test(new int[][] {{correctA, wrongA}, {correctB, wrongB}}).getPValue();
    }

    /** Two-sided exact binomial test of {@code successes} of {@code trials} against chance (0.5). */
    public static double againstChance(int successes, int trials) {
        return trials == 0 ? Double.NaN
                : BinomialTest.withDefaults().test(trials, successes, 0.5).getPValue();
    }

    /** P(X >= x) for a chi-square variable with {@code degrees} degrees of freedom. */
    public static double chiSquareSurvival(double x, int degrees) {
        return ChiSquaredDistribution.of(degrees).survivalProbability(x);
    }

    /**
     * Holm's step-down adjustment; returns adjusted p-values in the order given. A missing p-value (NaN: a comparison
     * without answers) stays NaN and does not count as a test.
     */
    public static double[] holm(double[] pValues) {
        Integer[] order = java.util.stream.IntStream.range(0, pValues.length).filter(i -> !Double.isNaN(pValues[i]))
                .boxed().toArray(Integer[]::new);
        int m = order.length;
        Arrays.sort(order, (a, b) -> Double.compare(pValues[a], pValues[b]));
        double[] adjusted = new double[pValues.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /**
     * Percentile bootstrap (95%) of the difference of mean participant accuracy between two groups (the quantity the
     * page's difference column and Welch's test are about), resampling participants with replacement within each
     * group, so that answers of one person are not treated as independent.
     */
    public static Interval clusterBootstrap(List<Cluster> a, List<Cluster> b, int resamples, long seed) {
        double estimate = meanAccuracy(a) - meanAccuracy(b);
        if (a.isEmpty() || b.isEmpty()) {
            return new Interval(estimate, Double.NaN, Double.NaN);
        }
        Random random = new Random(seed);
        double[] differences = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            differences[r] = resampled(a, random) - resampled(b, random);
        }
        Arrays.sort(differences);
        return new Interval(estimate, differences[(int) Math.floor(0.025 * (resamples - 1))],
                differences[(int) Math.ceil(0.975 * (resamples - 1))]);
    }

    private static double resampled(List<Cluster> clusters, Random random) {
        double sum = 0;
        for (int i = 0; i < clusters.size(); i++) {
            Cluster c = clusters.get(random.nextInt(clusters.size()));
            sum += (double) c.correct() / c.answers();
        }
        return sum / clusters.size();
    }

    static double meanAccuracy(List<Cluster> clusters) {
        return clusters.stream().mapToDouble(c -> (double) c.correct() / c.answers()).average().orElse(Double.NaN);
    }

    /** The q-quantile (linear interpolation) of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
