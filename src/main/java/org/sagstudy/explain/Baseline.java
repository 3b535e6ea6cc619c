package org.sagstudy.explain;

import java.util.Locale;

/**
 * What hidden pixels are replaced by. Black (0 before normalization) is the paper's default; blur is I-GOS's own
 * baseline (OpenCV's Gaussian blur, 51 x 51, sigma 50).
 */
public enum Baseline {
    BLACK, MEAN, BLUR;

    public static Baseline parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown baseline '" + name + "' (black, mean or blur)");
        }
    }

    public ImageTensor imageFor(ImageTensor image) {
        int plane = image.plane();
        float[] data = new float[image.data().length];
        switch (this) {
            case BLACK -> { }
            case MEAN -> {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int i = 0; i < plane; i++) {
                        sum += image.data()[c * plane + i];
                    }
                    java.util.Arrays.fill(data, c * plane, (c + 1) * plane, (float) (sum / plane));
                }
            }
            case BLUR -> {
                return GaussianBlur.IGOS.apply(image);
            }
            default -> throw new IllegalStateException();
        }
        return new ImageTensor(image.height(), image.width(), data);
    }
}
