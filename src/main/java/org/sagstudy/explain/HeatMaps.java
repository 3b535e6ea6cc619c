package org.sagstudy.explain;

import java.util.Arrays;

/** Small operations on square heat maps (row-major floats). */
public final class HeatMaps {

    private HeatMaps() {
    }

    /** Bilinear resize with half-pixel centres (as {@code cv2.resize(..., INTER_LINEAR)} on float maps). */
    public static float[] resize(float[] map, int side, int size) {
        float[] out = new float[size * size];
        double scale = (double) side / size;
        int[] lower = new int[size];
        float[] weight = new float[size];
        for (int d = 0; d < size; d++) {
            double f = (d + 0.5) * scale - 0.5;
            int s = (int) Math.floor(f);
            double t = f - s;
            if (s < 0) {
                s = 0;
                t = 0;
            }
            if (s >= side - 1) {
                s = side - 1;
                t = 0;
            }
            lower[d] = s;
            weight[d] = (float) (1 - t);
        }
        for (int y = 0; y < size; y++) {
            int r0 = lower[y];
            int r1 = Math.min(r0 + 1, side - 1);
            float wy = weight[y];
            for (int x = 0; x < size; x++) {
                int c0 = lower[x];
                int c1 = Math.min(c0 + 1, side - 1);
                float wx = weight[x];
                float top = wx * map[r0 * side + c0] + (1 - wx) * map[r0 * side + c1];
                float bottom = wx * map[r1 * side + c0] + (1 - wx) * map[r1 * side + c1];
                out[y * size + x] = wy * top + (1 - wy) * bottom;
            }
        }
        return out;
    }

    /** Scales to [0,1] by min and max; a constant map becomes all zeros. */
    public static float[] normalize(float[] map) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        if (max > min) {
            for (int i = 0; i < map.length; i++) {
                out[i] = (map[i] - min) / (max - min);
            }
        }
        return out;
    }

    /** Indices by descending heat (most important first); ties by index. */
    public static int[] descendingOrder(float[] heat) {
        Integer[] order = new Integer[heat.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> heat[a] != heat[b] ? Float.compare(heat[b], heat[a]) : Integer.compare(a, b));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
