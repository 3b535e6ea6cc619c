package org.sagstudy.explain;

/**
 * Resizes 8-bit images exactly as OpenCV's {@code cv::resize(..., INTER_LINEAR)} does: half-pixel centres, no
 * antialiasing, 11-bit fixed-point weights, and the rounding of OpenCV's vectorised vertical pass. An exact 2x
 * reduction in both directions becomes a 2x2 box average, as in OpenCV. The reference pipeline resizes this way, so
 * matching it keeps our confidences and explanations equal to the authors'.
 */
public final class LinearResize {

    private static final int COEF_BITS = 11;
    private static final int COEF_SCALE = 1 << COEF_BITS;
    /** Bytes per vector in OpenCV's baseline (SSE/NEON) build; the vertical pass vectorises whole multiples of it. */
    private static final int SIMD_BYTES = 16;

    private LinearResize() {
    }

    public static RgbImage resize(RgbImage source, int width, int height) {
        if (source.width() == width && source.height() == height) {
            return source;
        }
        if (source.width() == 2 * width && source.height() == 2 * height) {
            return halve(source);
        }
        int[] xOffset = new int[width];
        short[] xAlpha = new short[width * 2];
        coefficients(source.width(), width, xOffset, xAlpha, true);
        int[] yOffset = new int[height];
        short[] yBeta = new short[height * 2];
        coefficients(source.height(), height, yOffset, yBeta, false);

        int rowLength = width * 3;
        int[][] horizontalRows = new int[source.height()][];
        byte[] out = new byte[height * rowLength];
        for (int dy = 0; dy < height; dy++) {
            int sy0 = clamp(yOffset[dy], source.height() - 1);
            int sy1 = clamp(yOffset[dy] + 1, source.height() - 1);
            int[] s0 = horizontal(source, sy0, width, xOffset, xAlpha, horizontalRows);
            int[] s1 = horizontal(source, sy1, width, xOffset, xAlpha, horizontalRows);
            int b0 = yBeta[dy * 2];
            int b1 = yBeta[dy * 2 + 1];
            int base = dy * rowLength;
            int vectorised = rowLength - rowLength % SIMD_BYTES;
            for (int i = 0; i < vectorised; i++) {
                // OpenCV's SIMD path: 16-bit high multiplies of values pre-shifted by 4, then a rounding shift by 2.
                int v = (((s0[i] >> 4) * b0) >> 16) + (((s1[i] >> 4) * b1) >> 16);
                out[base + i] = (byte) Math.max(0, Math.min(255, (v + 2) >> 2));
            }
            for (int i = vectorised; i < rowLength; i++) {
                // the row's tail takes OpenCV's scalar path
                long v = (long) s0[i] * b0 + (long) s1[i] * b1;
                out[base + i] = (byte) Math.max(0, Math.min(255, (v + (1 << 21)) >> 22));
            }
        }
        return new RgbImage(width, height, out);
    }

    private static int[] horizontal(RgbImage source, int sy, int width, int[] xOffset, short[] xAlpha, int[][] cache) {
        int[] row = cache[sy];
        if (row != null) {
            return row;
        }
        row = new int[width * 3];
        byte[] px = source.pixels();
        int rowBase = sy * source.width() * 3;
        int last = source.width() - 1;
        for (int dx = 0; dx < width; dx++) {
            int sx = xOffset[dx];
            int a0 = xAlpha[dx * 2];
            int a1 = xAlpha[dx * 2 + 1];
            int sx1 = Math.min(sx + 1, last);
            for (int c = 0; c < 3; c++) {
                int p0 = px[rowBase + sx * 3 + c] & 0xff;
                int p1 = px[rowBase + sx1 * 3 + c] & 0xff;
                row[dx * 3 + c] = p0 * a0 + p1 * a1;
            }
        }
        cache[sy] = row;
        return row;
    }

    private static void coefficients(int sourceSize, int targetSize, int[] offset, short[] weights, boolean clampEdges) {
        double scale = (double) sourceSize / targetSize;
        for (int d = 0; d < targetSize; d++) {
            float f = (float) ((d + 0.5) * scale - 0.5);
            int s = (int) Math.floor(f);
            f -= s;
            if (clampEdges) {
                if (s < 0) {
                    f = 0;
                    s = 0;
                }
                if (s >= sourceSize - 1) {
                    f = 0;
                    s = sourceSize - 1;
                }
            }
            offset[d] = s;
            short w0 = (short) Math.rint((1f - f) * COEF_SCALE);
            weights[d * 2] = w0;
            weights[d * 2 + 1] = (short) Math.rint(f * COEF_SCALE);
        }
    }

    private static int clamp(int index, int max) {
        return Math.max(0, Math.min(max, index));
    }

    private static RgbImage halve(RgbImage source) {
        int width = source.width() / 2;
        int height = source.height() / 2;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = source.get(2 * x, 2 * y, c) + source.get(2 * x + 1, 2 * y, c)
                            + source.get(2 * x, 2 * y + 1, c) + source.get(2 * x + 1, 2 * y + 1, c);
                    out[(y * width + x) * 3 + c] = (byte) ((sum + 2) >> 2);
                }
            }
        }
        return new RgbImage(width, height, out);
    }
}
