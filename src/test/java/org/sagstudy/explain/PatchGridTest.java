package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PatchGridTest {

    private final PatchGrid grid = PatchGrid.paper();

    private static double tent(double t) {
        return Math.max(0, 1 - Math.abs(t));
    }

    /** docs/METHOD.md section 2: M(y,x) = sum over shown (r,c) of tent(6y/223 - r) * tent(6x/223 - c). */
    private static double closedForm(PatchSet set, int y, int x) {
        double sum = 0;
        for (int p : set.indices()) {
            sum += tent(6.0 * y / 223 - p / 7) * tent(6.0 * x / 223 - p % 7);
        }
        return sum;
    }

    @Test
    void maskEqualsTheClosedFormEverywhere() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            PatchSet set = new PatchSet(random.nextLong() & ((1L << 49) - 1));
            float[] mask = grid.upsample(set);
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    assertEquals(closedForm(set, y, x), mask[y * 224 + x], 1e-5, set + " at " + y + "," + x);
                }
            }
        }
    }

    @Test
    void aSinglePatchIsAPyramidWithRadiusOfOneGridStep() {
        float[] mask = grid.upsample(PatchSet.of(0));
        assertEquals(1.0, mask[0], 0.0, "a corner patch peaks at the corner pixel");
        // Grid step 223/6 = 37.17 px: pixel 37 still sees the corner patch, pixel 38 no longer does.
        assertEquals(1 - 6.0 * 37 / 223, mask[37], 1e-6);
        assertEquals(0.0, mask[38], 0.0);
        assertEquals(0.0, mask[38 * 224], 0.0);

        float[] centre = grid.upsample(PatchSet.of(24));
        double offPeak = 1 - Math.abs(6.0 * 111 / 223 - 3); // pixel 111 is half a pixel from the peak at 111.5
        assertEquals(offPeak * offPeak, centre[111 * 224 + 111], 1e-6);
        assertEquals(0.0, centre[74 * 224 + 111], 0.0, "more than 37.17 px above the centre");
        assertEquals(0.0, centre[111 * 224 + 149], 0.0, "more than 37.17 px right of the centre");
    }

    @Test
    void adjacentPatchesMergeIntoAPlateauAndAllPatchesShowEverything() {
        float[] pair = grid.upsample(PatchSet.of(8, 9));
        double rowWeight = 1 - Math.abs(6.0 * 38 / 223 - 1);
        for (int x = 38; x <= 74; x++) {
            // between the centres of patches 8 and 9 (x = 37.17 .. 74.33) the two pyramids add up to a flat top
            assertEquals(rowWeight, pair[38 * 224 + x], 1e-6, "plateau at x=" + x);
        }
        assertEquals(rowWeight * (1 - Math.abs(6.0 * 80 / 223 - 2)), pair[38 * 224 + 80], 1e-6, "slope beyond it");
        float[] all = grid.upsample(PatchSet.all(49));
        for (float v : all) {
            assertEquals(1.0, v, 1e-6);
        }
    }

    @Test
    void adjointIsTheTransposeOfTheUpsampling() {
        Random random = new Random(3);
        for (PatchGrid g : new PatchGrid[] {grid, new PatchGrid(28, 224)}) {
            float[] values = new float[g.patchCount()];
            float[] pixels = new float[224 * 224];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat();
            }
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat() - 0.5f;
            }
            float[] up = g.upsample(values);
            float[] back = g.adjoint(pixels);
            double left = 0;
            double right = 0;
            for (int i = 0; i < up.length; i++) {
                left += (double) up[i] * pixels[i];
            }
            for (int i = 0; i < back.length; i++) {
                right += (double) values[i] * back[i];
            }
            assertEquals(left, right, 1e-6 * Math.abs(left) + 1e-3);
        }
    }
}
