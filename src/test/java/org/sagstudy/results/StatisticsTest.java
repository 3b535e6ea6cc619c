package org.sagstudy.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commons Statistics and our own formulas against values worked out by hand on small tables. */
class StatisticsTest {

    @Test
    void minFCombinesTheParticipantAndTheQuestionTestsAsR() {
        // R: w <- t.test(a, b); t2 <- t.test(d); f1 <- w$statistic^2; f2 <- t2$statistic^2
        //    m <- f1*f2/(f1+f2); df <- (f1+f2)^2/(f1^2/5 + f2^2/w$parameter); pf(m, 1, df, lower.tail = FALSE)
        double[] a = {0.6, 0.7, 0.8, 0.75, 0.9};
        double[] b = {0.5, 0.55, 0.7, 0.6};
        double[] d = {0.2, 0.05, 0.1, -0.05, 0.15, 0.3};
        assertEquals(0.103555280424343, Statistics.minF(a, b, d), 1e-12);
        assertTrue(Statistics.minF(a, b, d) > Statistics.welch(a, b), "more cautious than participants alone");
        assertEquals(1.0, Statistics.minF(a, b, new double[] {0.1, -0.1}), 1e-12, "no question-level difference");
        assertTrue(Double.isNaN(Statistics.minF(a, b, new double[] {0.1})), "one question: no by-question test");
    }

    @Test
    void wilsonIntervalOfEightOfTen() {
        // p = 0.8, z = 1.959964: centre (0.8 + z^2/20) / (1 + z^2/10) = 0.99207 / 1.38415 = 0.716733;
        // half width z * sqrt(0.016 + z^2/400) / 1.38415 = 1.959964 * 0.160012 / 1.38415 = 0.226576
        Statistics.Interval interval = Statistics.wilson(8, 10);
        assertEquals(0.8, interval.estimate(), 1e-12);
        assertEquals(0.716733 - 0.226576, interval.low(), 1e-5);
        assertEquals(0.716733 + 0.226576, interval.high(), 1e-5);
        Statistics.Interval none = Statistics.wilson(0, 4);
        assertEquals(0, none.low(), 1e-12);
        assertEquals(3.841459 / (4 + 3.841459), none.high(), 1e-6, "0 of n: upper bound z^2 / (n + z^2)");
    }

    @Test
    void fisherExactTestOfASmallTable() {
        // margins 4/4 of 8: P(a) = C(4,a) C(4,4-a) / C(8,4) = 1, 16, 36, 16, 1 (/70); observed a = 3 (16/70);
        // two-sided: tables no more likely than it, (1 + 16 + 16 + 1) / 70
        assertEquals(34.0 / 70, Statistics.fisher(3, 1, 1, 3), 1e-12);
        assertEquals(1.0, Statistics.fisher(2, 2, 2, 2), 1e-12);
        assertEquals(2.0 / 70, Statistics.fisher(4, 0, 0, 4), 1e-12);
    }

    @Test
    void binomialTestAgainstChance() {
        // 9 of 10 at p = 0.5: P(X >= 9) = (10 + 1) / 1024; two-sided doubles it
        assertEquals(22.0 / 1024, Statistics.againstChance(9, 10), 1e-12);
        assertEquals(1.0, Statistics.againstChance(5, 10), 1e-12);
    }

    @Test
    void holmStepDown() {
        // sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04, made monotone: 0.03, 0.06, 0.06
        assertArrayEquals(new double[] {0.03, 0.06, 0.06}, Statistics.holm(new double[] {0.01, 0.04, 0.03}), 1e-12);
        assertArrayEquals(new double[] {1.0, 1.0}, Statistics.holm(new double[] {0.6, 0.9}), 1e-12);
        assertArrayEquals(new double[] {0.01, Double.NaN}, Statistics.holm(new double[] {0.01, Double.NaN}), 1e-12,
                "a comparison without answers is no test");
    }

    @Test
    void clusterBootstrapResamplesParticipants() {
        List<Statistics.Cluster> strong = new ArrayList<>();
        List<Statistics.Cluster> weak = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            strong.add(new Statistics.Cluster(8 + i % 3, 10));
            weak.add(new Statistics.Cluster(4 + i % 3, 10));
        }
        Statistics.Interval difference = Statistics.clusterBootstrap(strong, weak, 2000, 7);
        assertEquals(0.4, difference.estimate(), 1e-12);
        // unequal numbers of answers: the mean of participants' accuracies (1/1 and 1/3: 2/3), not pooled (2/4)
        Statistics.Interval unequal = Statistics.clusterBootstrap(List.of(new Statistics.Cluster(1, 1),
                new Statistics.Cluster(1, 3)), List.of(new Statistics.Cluster(0, 2), new Statistics.Cluster(0, 2)),
                200, 3);
        assertEquals(2.0 / 3, unequal.estimate(), 1e-12);
        assertTrue(unequal.low() >= 1.0 / 3 - 1e-12 && unequal.high() <= 1 + 1e-12, unequal.toString());
        assertTrue(difference.low() > 0.3 && difference.high() < 0.5, difference.toString());
        assertEquals(difference, Statistics.clusterBootstrap(strong, weak, 2000, 7), "seeded");
        // identical participants: no spread at all
        List<Statistics.Cluster> same = List.of(new Statistics.Cluster(5, 10), new Statistics.Cluster(5, 10));
        Statistics.Interval zero = Statistics.clusterBootstrap(same, same, 500, 1);
        assertEquals(0, zero.low(), 1e-12);
        assertEquals(0, zero.high(), 1e-12);
    }

    @Test
    void participantLevelTests() {
        // mean 0.75, sd 0.25, se 0.25 / sqrt(3) = 0.1443376; t(0.975, 2) = 4.3026527: half width 0.6210336
        Statistics.Interval interval = Statistics.tInterval(new double[] {0.5, 0.75, 1.0});
        assertEquals(0.75, interval.estimate(), 1e-12);
        assertEquals(0.75 - 0.6210336, interval.low(), 1e-6);
        assertEquals(1.0, interval.high(), 1e-12, "0.75 + 0.62 is clipped to the ceiling");
        assertTrue(Double.isNaN(Statistics.tInterval(new double[] {0.5}).low()), "one participant: no interval");

        // means 0.75 and 0.25, variances 0.0625 and 0.0416667: se^2 = 0.0625/3 + 0.0416667/4 = 0.03125, t = 0.5 /
        // sqrt(0.03125) = sqrt(8); Welch-Satterthwaite df = 0.03125^2 / ((0.0625/3)^2/2 + (0.0416667/4)^2/3) = 3 6/7;
        // two-sided p = 2 P(T(27/7) < -sqrt(8)) = 0.0494606
        double[] sag = {0.5, 0.75, 1.0};
        double[] other = {0.25, 0.5, 0.25, 0.0};
        assertEquals(0.0494606, Statistics.welch(sag, other), 1e-6);
        assertEquals(1.0, Statistics.welch(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}), 1e-12);
        assertTrue(Double.isNaN(Statistics.welch(new double[] {1, 1}, new double[] {0.5, 0.5})),
                "no spread and different means: not testable, not p = 0");

        // TOST, margin 0.5: difference 0.5, se sqrt(0.03125), df 27/7 as above; lower test t = 1 / sqrt(0.03125) =
        // sqrt(32), upper t = 0: p = max(P(T > sqrt(32)), P(T < 0)) = 0.5 (the difference sits on the margin)
        assertEquals(0.5, Statistics.equivalence(sag, other, 0.5), 1e-12);
        // margin 0.9: upper t = -0.4 / sqrt(0.03125) = -sqrt(5.12); lower t = 1.4 / sqrt(0.03125)
        double df = 27.0 / 7;
        org.apache.commons.statistics.distribution.TDistribution t =
                org.apache.commons.statistics.distribution.TDistribution.of(df);
        assertEquals(Math.max(t.survivalProbability(1.4 / Math.sqrt(0.03125)),
                t.cumulativeProbability(-0.4 / Math.sqrt(0.03125))), Statistics.equivalence(sag, other, 0.9), 1e-12);
        assertTrue(Double.isNaN(Statistics.welch(new double[] {1}, other)));

        // no overlap, no ties: U = 0, exactly 1 of C(7, 3) = 35 orderings is this extreme; two-sided 2/35
        assertEquals(2.0 / 35, Statistics.mannWhitney(new double[] {0.1, 0.2, 0.3},
                new double[] {0.4, 0.5, 0.6, 0.7}), 1e-9);
    }
}
