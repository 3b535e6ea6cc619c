package org.sagstudy.explain;

import java.util.Arrays;

/** A classifier that also gives the gradient of a class probability with respect to its input (for I-GOS). */
public interface GradientClassifier extends Classifier {

    /**
     * For each image of the batch: the softmax probability of {@code classIndex} and its gradient with respect to the
     * image in the engine's [0,1] space (same layout as the batch).
     */
    ProbabilityGradients probabilityGradients(ImageBatch batch, int classIndex);

    /**
     * As above with a class per image (several explanations sharing one pass). This default runs one pass per run of
     * equal classes; a model that can select a class per row overrides it with one pass.
     */
    default ProbabilityGradients probabilityGradients(ImageBatch batch, int[] classIndices) {
        int length = batch.imageLength();
        float[] probabilities = new float[batch.count()];
        float[] gradients = new float[batch.data().length];
        for (int start = 0; start < batch.count(); ) {
            int end = start;
            while (end < batch.count() && classIndices[end] == classIndices[start]) {
                end++;
            }
            float[] part = java.util.Arrays.copyOfRange(batch.data(), start * length, end * length);
            ProbabilityGradients run = probabilityGradients(new ImageBatch(end - start, batch.size(), part),
                    classIndices[start]);
            System.arraycopy(run.probabilities(), 0, probabilities, start, end - start);
            System.arraycopy(run.gradients(), 0, gradients, start * length, (end - start) * length);
            start = end;
        }
        return new ProbabilityGradients(probabilities, gradients);
    }

    record ProbabilityGradients(float[] probabilities, float[] gradients) {
    }

    /** {@code classIndex} once per image of {@code batch}: the one-class call as a call with a class per image. */
    static int[] sameClassForEveryImage(ImageBatch batch, int classIndex) {
        int[] classes = new int[batch.count()];
        Arrays.fill(classes, classIndex);
        return classes;
    }
}
