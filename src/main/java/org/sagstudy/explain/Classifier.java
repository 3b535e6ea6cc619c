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

    /**
     * The class the model predicts for {@code image}, given this classifier's {@code probabilities} of it. A
     * classifier whose probabilities are approximate (a bf16 copy of the model) decides with the exact model, so that
     * rounding never changes which class is explained.
     */
    default int predictedClass(ImageTensor image, float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    /** How many images to evaluate in one call; the engine splits larger requests. */
    default int batchSize() {
        return 16;
    }
}
