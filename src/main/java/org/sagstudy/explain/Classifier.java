package org.sagstudy.explain;

/**
 * What the engine needs of an image classifier: a batch of images in, class probabilities out. Images are RGB in
 * [0,1], channel-major, of {@link #inputSize()} squared; the classifier applies its own normalization.
 */
public interface Classifier {

    int inputSize();

    int classCount();

    /** Softmax probabilities, {@code result[image][class]}. */
    float[][] probabilities(ImageBatch batch);

    /** The model's per-channel normalization; I-GOS adds its noise in this normalized space. */
    Normalization normalization();

    /** How many images to evaluate in one call; the engine splits larger requests. */
    default int batchSize() {
        return 16;
    }
}
