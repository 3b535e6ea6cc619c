package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IgosTest {

    /**
     * Synthetic: p = sigmoid(10 (v - 0.5)), v = mean red value in a 9x9 window at the centre of patch 24, with its
     * analytic gradient. Deleting patch 24 is the only way to lower p.
     */
    static final class CentreWindowClassifier implements GradientClassifier {
        static final int LOW = 107;
        static final int HIGH = 115;

        private double probability(float[] data, int offset) {
            double sum = 0;
            for (int y = LOW; y <= HIGH; y++) {
                for (int x = LOW; x <= HIGH; x++) {
                    sum += data[offset + y * 224 + x];
                }
            }
            return 1 / (1 + Math.exp(-10 * (sum / 81 - 0.5)));
        }

        @Override
        public int inputSize() {
            return 224;
        }

        @Override
        public int classCount() {
            return 2;
        }

        @Override
        public float[][] probabilities(ImageBatch batch) {
            float[][] result = new float[batch.count()][];
            for (int i = 0; i < batch.count(); i++) {
                float p = (float) probability(batch.data(), i * batch.imageLength());
                result[i] = new float[] {p, 1 - p};
            }
            return result;
        }

        @Override
        public Normalization normalization() {
            return Normalization.IDENTITY;
        }

        @Override
        public ProbabilityGradients probabilityGradients(ImageBatch batch, int classIndex) {
            float[] probabilities = new float[batch.count()];
            float[] gradients = new float[batch.data().length];
            for (int i = 0; i < batch.count(); i++) {
                double p = probability(batch.data(), i * batch.imageLength());
                double dp = p * (1 - p) * 10 / 81 * (classIndex == 0 ? 1 : -1);
                probabilities[i] = (float) (classIndex == 0 ? p : 1 - p);
                for (int y = LOW; y <= HIGH; y++) {
                    for (int x = LOW; x <= HIGH; x++) {
                        gradients[i * batch.imageLength() + y * 224 + x] = (float) dp;
                    }
                }
            }
            return new ProbabilityGradients(probabilities, gradients);
        }
    }

    @Test
    void ranksTheOnlyImportantPatchFirstAndIsReproducible() {
        ImageTensor image = PatchRuleClassifier.whiteImage(224);
        CentreWindowClassifier classifier = new CentreWindowClassifier();
        ImageTensor black = Baseline.BLACK.imageFor(image);
        // A weaker smoothness term than the search default: with one isolated important patch, tv = 20 would make
        // deleting it cost more than the probability it removes.
        Igos.Settings settings = new Igos.Settings(7, 2, 20, 1.0, 2.0, 0.2, Igos.Noise.SPEC);
        float[] importance = Igos.importance(classifier, image, black, 0, settings, 42, new EvaluationStats());
        int[] ranking = Igos.ranking(importance);
        assertEquals(24, ranking[0]);
        assertTrue(importance[24] > 0.5, "patch 24 is deleted: mask " + (1 - importance[24]));
        assertArrayEquals(importance, Igos.importance(classifier, image, black, 0, settings, 42,
                new EvaluationStats()));
        assertEquals(49, java.util.Arrays.stream(ranking).distinct().count());
    }

    @Test
    void theL1WeightIsLoweredAsTheAuthorsDoWhenTheProbabilityIsStuck() {
        // 15 iterations: checked after iteration 7 (against the start of iteration 6) and 12 (start of 11)
        double[] stuck = new double[15];
        java.util.Arrays.fill(stuck, 0.9);
        stuck[6] = 0.8995;
        assertEquals(0.1, Igos.rescaledL1(1, 7, 15, stuck), 1e-15, "moved 0.0005 <= 0.001");
        stuck[6] = 0.898;
        assertEquals(1, Igos.rescaledL1(1, 7, 15, stuck), 0.0, "moved 0.002 > 0.001");
        stuck[11] = 0.895;
        assertEquals(0.02, Igos.rescaledL1(0.1, 12, 15, stuck), 1e-15, "moved 0.005 <= 0.01");
        stuck[11] = 0.85;
        assertEquals(0.1, Igos.rescaledL1(0.1, 12, 15, stuck), 0.0);
        assertEquals(1, Igos.rescaledL1(1, 8, 15, new double[15]), 0.0, "only those two iterations");
        assertEquals(1, Igos.rescaledL1(1, 1, 2, new double[2]), 0.0, "never in the 2-iteration search");
        assertEquals(0.1, Igos.rescaledL1(1, 10, 20, new double[20]), 1e-15, "20 iterations: at 10 and 16");
        assertEquals(0.2, Igos.rescaledL1(1, 16, 20, new double[20]), 1e-15);

        // a classifier that does not react: the probability cannot move, so the weight drops to a tenth after
        // iteration 7 and to a fiftieth after 12
        GradientClassifier unmoved = new GradientClassifier() {
            @Override
            public int inputSize() {
                return 224;
            }

            @Override
            public int classCount() {
                return 2;
            }

            @Override
            public float[][] probabilities(ImageBatch batch) {
                float[][] result = new float[batch.count()][];
                java.util.Arrays.setAll(result, i -> new float[] {0.7f, 0.3f});
                return result;
            }

            @Override
            public Normalization normalization() {
                return Normalization.IDENTITY;
            }

            @Override
            public ProbabilityGradients probabilityGradients(ImageBatch batch, int classIndex) {
                float[] probabilities = new float[batch.count()];
                java.util.Arrays.fill(probabilities, 0.7f);
                return new ProbabilityGradients(probabilities, new float[batch.data().length]);
            }
        };
        ImageTensor white = PatchRuleClassifier.whiteImage(224);
        Igos.Settings fifteen = new Igos.Settings(7, 15, 20, 1.0, 2.0, 0.2, Igos.Noise.SPEC);
        java.util.List<Double> schedule = Igos.trace(unmoved, white, Baseline.BLACK.imageFor(white), 0, fifteen, 1,
                new EvaluationStats()).l1Schedule();
        assertEquals(java.util.List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.02, 0.02,
                0.02), schedule.stream().map(v -> Math.round(v * 1e9) / 1e9).toList());
        // a photo whose probability falls keeps its weight
        assertTrue(Igos.trace(new CentreWindowClassifier(), white, Baseline.BLACK.imageFor(white), 0, fifteen, 1,
                new EvaluationStats()).l1Schedule().stream().allMatch(v -> v == 1.0));
    }

    @Test
    void regularizerGradientMatchesFiniteDifferences() {
        ImageTensor image = PatchRuleClassifier.whiteImage(224);
        Random random = new Random(5);
        double[] mask = new double[49];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = 0.1 + 0.8 * random.nextDouble();
        }
        Igos igos = igosFor(image);
        double[] gradient = igos.regularizerGradient(mask);
        for (int i = 0; i < mask.length; i++) {
            double[] up = mask.clone();
            double[] down = mask.clone();
            up[i] += 1e-4;
            down[i] -= 1e-4;
            double fd = (igos.regularizer(up) - igos.regularizer(down)) / 2e-4;
            assertEquals(fd, gradient[i], 1e-6, "patch " + i);
        }
    }

    private static Igos igosFor(ImageTensor image) {
        try {
            var constructor = Igos.class.getDeclaredConstructor(GradientClassifier.class, ImageTensor.class,
                    ImageTensor.class, int.class, Igos.Settings.class, EvaluationStats.class);
            constructor.setAccessible(true);
            return constructor.newInstance(new CentreWindowClassifier(), image, Baseline.BLACK.imageFor(image), 0,
                    Igos.Settings.SEARCH, new EvaluationStats());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
