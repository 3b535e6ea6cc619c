package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code f(S)}: the probability of the explained class on the image showing only the patches of {@code S}, masked
 * with the soft tent mask over the baseline. Every value is computed once per image and cached by bit mask, so
 * search, minimization, root selection and the SAG all see the same numbers; misses are evaluated in batches.
 */
public final class MaskedConfidence {

    private final Classifier classifier;
    private final PatchGrid grid;
    private final int classIndex;
    private final double fullProbability;
    private final float[] baseline;
    private final float[] difference;
    private final Map<Long, Double> cache = new HashMap<>();
    private final EvaluationStats stats;

    public MaskedConfidence(Classifier classifier, ImageTensor image, ImageTensor baseline, PatchGrid grid,
            Prediction prediction, EvaluationStats stats) {
        if (image.width() != grid.imageSize() || image.height() != grid.imageSize()) {
            throw new IllegalArgumentException("image is not " + grid.imageSize() + "x" + grid.imageSize());
        }
        this.classifier = classifier;
        this.grid = grid;
        this.classIndex = prediction.classIndex();
        this.fullProbability = prediction.probability();
        this.stats = stats;
        this.baseline = baseline.data();
        this.difference = new float[image.data().length];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = image.data()[i] - this.baseline[i];
        }
        // All patches shown is the unmasked image; pinning it keeps "100%" exact.
        cache.put(PatchSet.all(grid.patchCount()).bits(), fullProbability);
    }

    public int classIndex() {
        return classIndex;
    }

    public double fullProbability() {
        return fullProbability;
    }

    public PatchGrid grid() {
        return grid;
    }

    public EvaluationStats stats() {
        return stats;
    }

    /** Every value computed so far, by patch bit mask (a read-only view). */
    public Map<Long, Double> evaluated() {
        return java.util.Collections.unmodifiableMap(cache);
    }

    public double confidence(PatchSet set) {
        return confidences(List.of(set))[0];
    }

    public double relative(PatchSet set) {
        return confidence(set) / fullProbability;
    }

    /** Whether {@code f(S) > threshold * p_full} (strict, as in the paper). */
    public boolean isSufficient(PatchSet set, double threshold) {
        return confidence(set) > threshold * fullProbability;
    }

    public double[] confidences(List<PatchSet> sets) {
        LinkedHashSet<Long> misses = new LinkedHashSet<>();
        int hits = 0;
        for (PatchSet set : sets) {
            if (cache.containsKey(set.bits())) {
                hits++;
            } else if (!misses.add(set.bits())) {
                hits++;
            }
        }
        stats.recordCacheHits(hits);
        evaluate(new ArrayList<>(misses));
        double[] result = new double[sets.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = cache.get(sets.get(i).bits());
        }
        return result;
    }

    /** The image showing only {@code set}, in the engine's [0,1] space (for drawing and for direct checks). */
    public ImageTensor maskedImage(PatchSet set) {
        float[] data = new float[difference.length];
        compose(grid.upsample(set), data, 0);
        int size = grid.imageSize();
        return new ImageTensor(size, size, data);
    }

    /**
     * The image showing only {@code set} over {@code baseline}, with the same float arithmetic as the model's input, so
     * pictures drawn from it show exactly what the model saw.
     */
    public static ImageTensor masked(ImageTensor image, ImageTensor baseline, PatchGrid grid, PatchSet set) {
        float[] mask = grid.upsample(set);
        int plane = mask.length;
        float[] data = new float[image.data().length];
        for (int c = 0; c < 3; c++) {
            int channel = c * plane;
            for (int i = 0; i < plane; i++) {
                float difference = image.data()[channel + i] - baseline.data()[channel + i];
                data[channel + i] = baseline.data()[channel + i] + mask[i] * difference;
            }
        }
        return new ImageTensor(image.height(), image.width(), data);
    }

    private void evaluate(List<Long> missing) {
        int batchSize = Math.max(1, classifier.batchSize());
        int length = difference.length;
        for (int start = 0; start < missing.size(); start += batchSize) {
            List<Long> chunk = missing.subList(start, Math.min(missing.size(), start + batchSize));
            float[] data = new float[chunk.size() * length];
            for (int i = 0; i < chunk.size(); i++) {
                compose(grid.upsample(new PatchSet(chunk.get(i))), data, i * length);
            }
            long started = System.nanoTime();
            float[][] probabilities = classifier.probabilities(new ImageBatch(chunk.size(), grid.imageSize(), data));
            stats.recordForward(chunk.size(), System.nanoTime() - started);
            for (int i = 0; i < chunk.size(); i++) {
                cache.put(chunk.get(i), (double) probabilities[i][classIndex]);
            }
        }
    }

    private void compose(float[] mask, float[] target, int offset) {
        int plane = mask.length;
        for (int c = 0; c < 3; c++) {
            int channel = c * plane;
            for (int i = 0; i < plane; i++) {
                target[offset + channel + i] = baseline[channel + i] + mask[i] * difference[channel + i];
            }
        }
    }
}
