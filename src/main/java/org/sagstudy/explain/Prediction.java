package org.sagstudy.explain;

/** The classifier's top-1 class on an image and its softmax probability. */
public record Prediction(int classIndex, double probability) {

    public static Prediction of(Classifier classifier, ImageTensor image) {
        float[] probabilities = classifier.probabilities(ImageBatch.of(java.util.List.of(image)))[0];
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return new Prediction(best, probabilities[best]);
    }
}
