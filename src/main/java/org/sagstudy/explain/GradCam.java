package org.sagstudy.explain;

/**
 * Grad-CAM (Selvaraju et al. 2017): channel weights are the spatial means of d(logit_c)/dA^k over the last
 * convolutional features; the map is ReLU(sum_k w_k A^k) at feature resolution.
 */
public final class GradCam {

    private GradCam() {
    }

    /** The raw map, {@code height x width} of the feature maps (7x7 for MobileNetV2 and VGG19 at 224). */
    public static float[] map(FeatureClassifier.ClassActivations activations) {
        int plane = activations.height() * activations.width();
        float[] map = new float[plane];
        for (int k = 0; k < activations.channels(); k++) {
            double weight = 0;
            for (int i = 0; i < plane; i++) {
                weight += activations.gradients()[k * plane + i];
            }
            weight /= plane;
            for (int i = 0; i < plane; i++) {
                map[i] += (float) (weight * activations.features()[k * plane + i]);
            }
        }
        for (int i = 0; i < plane; i++) {
            map[i] = Math.max(0f, map[i]);
        }
        return map;
    }

    /** The map at feature resolution; {@link HeatMap#toImage(int)} gives it at image size, as drawn. */
    public static HeatMap heatMap(FeatureClassifier.ClassActivations activations) {
        if (activations.height() != activations.width()) {
            throw new IllegalArgumentException("Grad-CAM expects square feature maps");
        }
        return new HeatMap(HeatMap.Kind.GRADCAM, activations.height(), map(activations));
    }
}
