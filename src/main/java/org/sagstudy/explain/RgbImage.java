package org.sagstudy.explain;

import java.awt.image.BufferedImage;

/** An 8-bit RGB image, pixels interleaved row by row ({@code r,g,b,r,g,b,...}). */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0 || pixels.length != width * height * 3) {
            throw new IllegalArgumentException("pixel buffer does not match " + width + "x" + height + " RGB");
        }
    }

    public int get(int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xff;
    }

    /** Values scaled to [0,1], channel-major (CHW), as the classifier expects before normalization. */
    public ImageTensor toTensor() {
        int plane = width * height;
        float[] data = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                data[c * plane + i] = (pixels[i * 3 + c] & 0xff) / 255f;
            }
        }
        return new ImageTensor(height, width, data);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                row[x] = (pixels[i] & 0xff) << 16 | (pixels[i + 1] & 0xff) << 8 | (pixels[i + 2] & 0xff);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }
}
