package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Photos explained together through shared passes get exactly what each gets alone. */
class BatchingClassifierTest {

    private static final PatchGrid GRID = PatchGrid.paper();

    /**
     * Two classes; the logit of class 0 is a weighted sum of the red value at each patch's centre, so a photo's
     * explanations depend on its pixels, and the gradient is known in closed form.
     */
    static final class CentresClassifier implements GradientClassifier {
        private final double[] weights = new double[49];

        CentresClassifier() {
            Random random = new Random(3);
            for (int p = 0; p < 49; p++) {
                weights[p] = random.nextDouble() < 0.2 ? 2 + 2 * random.nextDouble() : 0.1 * random.nextDouble();
            }
        }

        private static int centre(int patch) {
            int r = patch / 7;
            int c = patch % 7;
            return (r * 32 + 16) * 224 + c * 32 + 16;
        }

        private double logit(float[] data, int offset) {
            double sum = -4;
            for (int p = 0; p < 49; p++) {
                sum += weights[p] * data[offset + centre(p)];
            }
            return sum;
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
        public Normalization normalization() {
            return Normalization.IDENTITY;
        }

        @Override
        public int batchSize() {
            return 16;
        }

        @Override
        public float[][] probabilities(ImageBatch batch) {
            float[][] result = new float[batch.count()][];
            for (int i = 0; i < batch.count(); i++) {
                float p = (float) (1 / (1 + Math.exp(-logit(batch.data(), i * batch.imageLength()))));
                result[i] = new float[] {p, 1 - p};
            }
            return result;
        }

        @Override
        public ProbabilityGradients probabilityGradients(ImageBatch batch, int classIndex) {
            float[] probabilities = new float[batch.count()];
            float[] gradients = new float[batch.data().length];
            for (int i = 0; i < batch.count(); i++) {
                double p = 1 / (1 + Math.exp(-logit(batch.data(), i * batch.imageLength())));
                double own = classIndex == 0 ? p : 1 - p;
                probabilities[i] = (float) own;
                for (int patch = 0; patch < 49; patch++) {
                    gradients[i * batch.imageLength() + centre(patch)] = (float) (p * (1 - p) * weights[patch]
                            * (classIndex == 0 ? 1 : -1));
                }
            }
            return new ProbabilityGradients(probabilities, gradients);
        }
    }

    private static ImageTensor photo(int seed) {
        Random random = new Random(seed);
        float[] data = new float[3 * 224 * 224];
        for (int i = 0; i < data.length; i++) {
            data[i] = 0.4f + 0.6f * random.nextFloat();
        }
        return new ImageTensor(224, 224, data);
    }

    private static List<Explanation> explain(GradientClassifier classifier, List<ImageTensor> photos, int inFlight)
            throws Exception {
        Explainer explainer = new Explainer(classifier, ExplainParameters.PAPER.withHeatMaps(false));
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        try {
            List<Future<Explanation>> futures = new ArrayList<>();
            for (ImageTensor photo : photos) {
                futures.add(pool.submit(() -> explainer.explain(photo, null)));
            }
            List<Explanation> explanations = new ArrayList<>();
            for (Future<Explanation> future : futures) {
                explanations.add(future.get());
            }
            return explanations;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void togetherEqualsAloneAndPassesAreFuller() throws Exception {
        List<ImageTensor> photos = List.of(photo(1), photo(2), photo(3), photo(4));
        CentresClassifier model = new CentresClassifier();
        List<Explanation> alone = explain(model, photos, 1);
        try (BatchingClassifier oneAtATime = new BatchingClassifier(model, 20);
                BatchingClassifier shared = new BatchingClassifier(model, 20)) {
            explain(oneAtATime, photos, 1);
            List<Explanation> together = explain(shared, photos, 4);
            for (int i = 0; i < photos.size(); i++) {
                Explanation a = alone.get(i);
                Explanation t = together.get(i);
                assertEquals(a.roots().stream().map(BeamSearch.Root::patches).toList(),
                        t.roots().stream().map(BeamSearch.Root::patches).toList(), "photo " + i);
                assertEquals(a.sag().nodes().stream().map(Sag.Node::patches).toList(),
                        t.sag().nodes().stream().map(Sag.Node::patches).toList());
                assertEquals(a.evaluated().keySet(), t.evaluated().keySet());
                a.evaluated().forEach((set, value) -> assertEquals(value, t.evaluated().get(set), 1e-7));
                assertTrue(java.util.Arrays.equals(a.igosSearchImportance(), t.igosSearchImportance()));
            }
            assertTrue(alone.stream().mapToInt(e -> e.roots().size()).sum() > 4, "the photos have explanations");
            BatchingClassifier.Counts single = oneAtATime.counts();
            BatchingClassifier.Counts merged = shared.counts();
            assertEquals(single.images(), merged.images(), "the same images through the model");
            assertTrue(merged.meanBatch() > single.meanBatch() * 1.5, single + " vs " + merged);
            assertTrue(merged.meanGradientBatch() > single.meanGradientBatch(), single + " vs " + merged);
        }
    }
}
