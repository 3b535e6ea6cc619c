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
