package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The blur baseline against the closed-form kernel, OpenCV's border rule and values OpenCV 4.6 printed. */
class GaussianBlurTest {

    @Test
    void kernelIsTheNormalizedGaussian() {
        // size 3, sigma 1: (e^-0.5, 1, e^-0.5) / (1 + 2 e^-0.5)
        double side = Math.exp(-0.5) / (1 + 2 * Math.exp(-0.5));
        assertArrayEquals(new double[] {side, 1 - 2 * side, side}, new GaussianBlur(3, 1).kernel(), 1e-15);
        assertEquals(0.274068619, side, 1e-9);
        double[] igos = GaussianBlur.IGOS.kernel();
        assertEquals(51, igos.length);
        // sigma 50 over 51 taps is nearly flat: the end tap is exp(-625/5000) = 0.8825 of the centre
        assertEquals(Math.exp(-625.0 / 5000), igos[0] / igos[25], 1e-12);
    }

    @Test
    void bordersAreReflectedWithoutRepeatingTheEdge() {
        assertEquals(1, GaussianBlur.reflect101(-1, 5));
        assertEquals(2, GaussianBlur.reflect101(-2, 5));
        assertEquals(3, GaussianBlur.reflect101(5, 5));
        assertEquals(2, GaussianBlur.reflect101(6, 5));
        assertEquals(4, GaussianBlur.reflect101(4, 5));
        // an impulse in the corner: the mirrored neighbour is the pixel next to it, not the corner again
        float[] data = new float[3 * 81];
        data[0] = 1;
        ImageTensor blurred = new GaussianBlur(3, 1).apply(new ImageTensor(9, 9, data));
        double[] k = new GaussianBlur(3, 1).kernel();
        assertEquals(k[1] * k[1], blurred.data()[0], 1e-7);
        assertEquals(k[0] * k[1], blurred.data()[1], 1e-7);
        assertEquals(k[0] * k[0], blurred.data()[9 + 1], 1e-7);
        assertEquals(0, blurred.data()[2], 0.0);
    }

    @Test
    void matchesOpenCv() {
        // cv2.GaussianBlur(img, (51, 51), 50) on this image (float32, HWC) printed these values
        int size = 224;
        float[] data = new float[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                data[y * size + x] = x / 223f;
                data[plane + y * size + x] = (float) Math.pow(y / 223.0, 2);
                data[2 * plane + y * size + x] = y >= 30 && y < 60 && x >= 100 && x < 180 ? 1 : 0;
            }
        }
        ImageTensor blurred = Baseline.BLUR.imageFor(new ImageTensor(size, size, data));
        double[][] opencv = {{0, 0, 0, 0.05592555180191994}, {3, 200, 1, 0.8075926899909973},
            {111, 57, 2, 0.4041157364845276}, {223, 223, 0, 0.9440744519233704}, {24, 25, 1, 0.016776088625192642},
            {200, 10, 2, 0.010202671401202679}, {140, 45, 2, 0.6047249436378479}, {0, 223, 1, 0.8923569321632385}};
        for (double[] value : opencv) {
            int x = (int) value[0];
            int y = (int) value[1];
            int c = (int) value[2];
            assertEquals(value[3], blurred.data()[c * plane + y * size + x], 2e-6, "x " + x + " y " + y + " c " + c);
        }
    }
}
