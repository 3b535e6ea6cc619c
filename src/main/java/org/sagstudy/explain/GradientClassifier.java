package org.sagstudy.explain;

/** A classifier that also gives the gradient of a class probability with respect to its input (for I-GOS). */
public interface GradientClassifier extends Classifier {

    /**
     * For each image of the batch: the softmax probability of {@code classIndex} and its gradient with respect to the
     * image in the engine's [0,1] space (same layout as the batch).
     */
    ProbabilityGradients probabilityGradients(ImageBatch batch, int classIndex);

    record ProbabilityGradients(float[] probabilities, float[] gradients) {
    }
}
