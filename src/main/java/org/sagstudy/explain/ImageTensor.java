package org.sagstudy.explain;

/** An RGB image as floats in [0,1], channel-major (CHW): the engine's view of an image before normalization. */
public record ImageTensor(int height, int width, float[] data) {

    public ImageTensor {
        if (data.length != 3 * height * width) {
            throw new IllegalArgumentException("tensor data does not match 3x" + height + "x" + width);
        }
    }

    public int plane() {
        return height * width;
    }

    /** Back to 8-bit pixels (rounded, clamped), for drawing. */
    public RgbImage toRgb() {
        int plane = plane();
        byte[] pixels = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = data[c * plane + i];
                pixels[i * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v * 255f)));
            }
        }
        return new RgbImage(width, height, pixels);
    }
}
