package org.sagstudy.explain;

/** The classifier's top-1 class on an image and the classifier's softmax probability of it. */
public record Prediction(int classIndex, double probability) {

    public static Prediction of(Classifier classifier, ImageTensor image) {
        float[] probabilities = classifier.probabilities(ImageBatch.of(java.util.List.of(image)))[0];
        int predicted = classifier.predictedClass(image, probabilities);
        return new Prediction(predicted, probabilities[predicted]);
    }
}
