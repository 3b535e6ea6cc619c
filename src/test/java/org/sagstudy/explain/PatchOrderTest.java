package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * NumPy's unstable argsort and the authors' successor rule, against values printed by Debian 12's NumPy 1.24
 * ({@code np.argsort}) and logged from the authors' search.py on the shared MobileNetV2 (tench photo of the dev set).
 */
class PatchOrderTest {

    /** The authors' float32 I-GOS mask for n01440764_tench.JPEG (cv2.setRNGSeed(0)): 39 of 49 values are ties. */
    static final float[] TENCH_MASK = {
        1.0f, 1.0f, 1.0f, 0.9999998807907104f, 0.9999998807907104f, 0.9999998807907104f, 0.9999999403953552f, 1.0f,
        1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 0.9999998807907104f, 0.9999999403953552f, 1.0f, 1.0f, 1.0f,
        0.9999998807907104f, 1.0f, 0.9999996423721313f, 1.0f, 0.9999998211860657f, 0.9999997019767761f, 1.0f, 1.0f,
        0.999999463558197f, 0.9999991059303284f, 1.0f, 0.9999994039535522f, 0.9999993443489075f, 1.0f, 1.0f, 1.0f,
        0.9999998807907104f, 0.999999463558197f, 1.0f, 1.0f, 0.9999999403953552f, 1.0f, 1.0f, 0.9999999403953552f,
        1.0f, 1.0f, 1.0f, 0.9999998807907104f,
    };

    @Test
    void argsortMatchesNumpyOnTies() {
        float[] v = new float[49];
        Arrays.fill(v, 1f);
        v[1] = 0.5f;
        v[4] = 0f;
        v[6] = 0.5f;
        v[17] = 0.25f;
        assertArrayEquals(new int[] {4, 17, 1, 6, 0, 28, 29, 30, 31, 32, 33, 34, 35, 36, 38, 27, 39, 40, 41, 42, 43, 44,
            45, 46, 37, 26, 24, 47, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 48},
                NumpyArgsort.argsort(v));
        v[4] = 2f;
        v[17] = 2f;
        assertArrayEquals(new int[] {1, 6, 0, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44,
            45, 46, 26, 25, 24, 23, 2, 3, 5, 7, 8, 9, 10, 11, 47, 12, 14, 15, 16, 18, 19, 20, 21, 22, 13, 48, 17, 4},
                NumpyArgsort.argsort(v));
        assertArrayEquals(new int[] {30, 33, 32, 29, 38, 23, 26, 25, 21, 16, 48, 37, 3, 4, 5, 44, 17, 41, 6, 46, 45, 31,
            40, 36, 43, 42, 39, 35, 34, 0, 27, 1, 2, 7, 8, 9, 10, 11, 28, 12, 14, 15, 18, 19, 20, 22, 47, 13, 24},
                NumpyArgsort.argsort(TENCH_MASK));
    }

    @Test
    void successorsFollowTheAuthorsPerMemberArgsort() {
        PatchOrder order = PatchOrder.numpy(TENCH_MASK);
        assertArrayEquals(new int[] {30, 33, 32, 29, 38, 23, 26, 25, 21, 16, 48, 37, 3, 4, 5},
                order.successors(PatchSet.EMPTY, 15));
        assertArrayEquals(new int[] {30, 33, 32, 38, 29, 23, 25, 5, 21, 4, 37, 3, 16, 48, 41},
                order.successors(PatchSet.of(26), 15));
        assertArrayEquals(new int[] {30, 32, 38, 29, 23, 26, 25, 4, 21, 16, 3, 37, 48, 5, 41},
                order.successors(PatchSet.of(33), 15));
        assertArrayEquals(new int[] {30, 33, 32, 29, 38, 23, 26, 25, 21, 16, 37, 3, 4, 5, 44},
                order.successors(PatchSet.of(48), 15));
        assertArrayEquals(new int[] {30, 33, 38, 29, 23, 25, 21, 16, 37, 48, 3, 4, 5, 41, 44},
                order.successors(PatchSet.of(26, 32), 15));
        // one fixed permutation (what --ranking passes) gives the member {26} other successors
        assertArrayEquals(new int[] {30, 33, 32, 29, 38, 23, 25, 21, 16, 48, 37, 3, 4, 5, 44},
                PatchOrder.fixed(NumpyArgsort.argsort(TENCH_MASK)).successors(PatchSet.of(26), 15));
    }

    @Test
    void fewerSuccessorsThanAskedNearTheEnd() {
        PatchSet all = PatchSet.all(49).without(7).without(3);
        assertArrayEquals(new int[] {3, 7}, PatchOrder.numpy(TENCH_MASK).successors(all, 15));
        assertArrayEquals(new int[] {3, 7}, PatchOrder.fixed(NumpyArgsort.argsort(TENCH_MASK)).successors(all, 15));
    }
}
