package org.sagstudy.explain;

/** A classifier that exposes its last convolutional features and their gradient (for Grad-CAM). */
public interface FeatureClassifier extends Classifier {

    /**
     * The feature maps of the last convolutional block for one image, and the gradient of the logit of
     * {@code classIndex} with respect to them.
     */
    ClassActivations activations(ImageTensor image, int classIndex);

    /** False when this model has no features output (then Grad-CAM is skipped). */
    default boolean providesFeatures() {
        return true;
    }

    /** Features and gradients are {@code channels x height x width}, channel-major. */
    record ClassActivations(int channels, int height, int width, float[] features, float[] gradients, float logit) {
    }
}
