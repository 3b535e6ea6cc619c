package org.sagstudy.explain;

import java.util.function.ToDoubleFunction;

/**
 * A synthetic two-class classifier whose confidence in class 0 is a known function of which patches are visible, so
 * the minimal sufficient explanations are known in advance. A patch counts as visible when the masked image is bright
 * at its grid point (the image is white and the baseline black, so the tent mask shows there as ~1 or ~0).
 */
public final class PatchRuleClassifier implements Classifier {

    private final PatchGrid grid;
    private final ToDoubleFunction<PatchSet> confidence;
    int calls;

    public PatchRuleClassifier(PatchGrid grid, ToDoubleFunction<PatchSet> confidence) {
        this.grid = grid;
        this.confidence = confidence;
    }

    /** Confident (0.9) when any of the conjunctions is fully visible, else 0.765 times the best visible fraction. */
    public static PatchRuleClassifier dnf(PatchGrid grid, PatchSet... conjunctions) {
        return new PatchRuleClassifier(grid, visible -> {
            double best = 0;
            for (PatchSet conjunction : conjunctions) {
                if (conjunction.isSubsetOf(visible)) {
                    return 0.9;
                }
                best = Math.max(best, visible.overlap(conjunction) / (double) conjunction.size());
            }
            return 0.9 * 0.85 * best;
        });
    }

    public static ImageTensor whiteImage(int size) {
        float[] data = new float[3 * size * size];
        java.util.Arrays.fill(data, 1f);
        return new ImageTensor(size, size, data);
    }

    PatchSet visiblePatches(ImageBatch batch, int index) {
        int size = batch.size();
        int side = grid.side();
        long bits = 0;
        for (int k = 0; k < side * side; k++) {
            int y = (int) Math.round((k / side) * (size - 1.0) / (side - 1));
            int x = (int) Math.round((k % side) * (size - 1.0) / (side - 1));
            if (batch.data()[index * batch.imageLength() + y * size + x] > 0.5f) {
                bits |= 1L << k;
            }
        }
        return new PatchSet(bits);
    }

    @Override
    public int inputSize() {
        return grid.imageSize();
    }

    @Override
    public int classCount() {
        return 2;
    }

    @Override
    public float[][] probabilities(ImageBatch batch) {
        calls++;
        float[][] result = new float[batch.count()][];
        for (int i = 0; i < batch.count(); i++) {
            float p = (float) confidence.applyAsDouble(visiblePatches(batch, i));
            result[i] = new float[] {p, 1 - p};
        }
        return result;
    }

    @Override
    public Normalization normalization() {
        return Normalization.IDENTITY;
    }
}
