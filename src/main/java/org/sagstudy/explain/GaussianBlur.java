package org.sagstudy.explain;

/**
 * OpenCV's {@code cv2.GaussianBlur(img, (size, size), sigma)} on a float image: a separable, normalized Gaussian kernel,
 * rows then columns, with OpenCV's default border ({@code BORDER_REFLECT_101}: {@code dcb|abcd|cba}). I-GOS blurs its
 * baseline with size 51 and sigma 50.
 */
public record GaussianBlur(int size, double sigma) {

    public static final GaussianBlur IGOS = new GaussianBlur(51, 50);

    public GaussianBlur {
        if (size < 1 || size % 2 == 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("a Gaussian blur needs an odd size and a positive sigma");
        }
    }

    /** {@code exp(-(i - r)^2 / (2 sigma^2))} for i in 0..size-1, r = size/2, divided by their sum. */
    public double[] kernel() {
        int radius = size / 2;
        double[] kernel = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            kernel[i] = Math.exp(-(double) (i - radius) * (i - radius) / (2 * sigma * sigma));
            sum += kernel[i];
        }
        for (int i = 0; i < size; i++) {
            kernel[i] /= sum;
        }
        return kernel;
    }

    /** Every channel of the image blurred. */
    public ImageTensor apply(ImageTensor image) {
        float[] data = image.data().clone();
        for (int c = 0; c < 3; c++) {
            blurPlane(data, c * image.plane(), image.width(), image.height());
        }
        return new ImageTensor(image.height(), image.width(), data);
    }

    private void blurPlane(float[] data, int offset, int width, int height) {
        double[] kernel = kernel();
        int radius = size / 2;
        float[] rows = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int t = -radius; t <= radius; t++) {
                    sum += kernel[t + radius] * data[offset + y * width + reflect101(x + t, width)];
                }
                rows[y * width + x] = (float) sum;
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int t = -radius; t <= radius; t++) {
                    sum += kernel[t + radius] * rows[reflect101(y + t, height) * width + x];
                }
                data[offset + y * width + x] = (float) sum;
            }
        }
    }

    /** The index OpenCV reads for {@code i} outside 0..n-1: mirrored without repeating the edge. */
    static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int r = Math.floorMod(i, period);
        return r < n ? r : period - r;
    }
}
