package org.sagstudy.explain;

import java.util.Locale;

/** What hidden pixels are replaced by. Black (0 before normalization) is the paper's default. */
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
                // A separable box blur of radius 5, applied three times (close to a Gaussian of sigma 5).
                System.arraycopy(image.data(), 0, data, 0, data.length);
                for (int pass = 0; pass < 3; pass++) {
                    for (int c = 0; c < 3; c++) {
                        boxBlur(data, c * plane, image.width(), image.height(), 5);
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
        return new ImageTensor(image.height(), image.width(), data);
    }

    private static void boxBlur(float[] data, int offset, int width, int height, int radius) {
        float[] tmp = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float sum = 0;
                int n = 0;
                for (int k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius); k++, n++) {
                    sum += data[offset + y * width + k];
                }
                tmp[y * width + x] = sum / n;
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float sum = 0;
                int n = 0;
                for (int k = Math.max(0, y - radius); k <= Math.min(height - 1, y + radius); k++, n++) {
                    sum += tmp[k * width + x];
                }
                data[offset + y * width + x] = sum / n;
            }
        }
    }
}
