package org.sagstudy.explain;

/**
 * {@code numpy.argsort(values)} for a float32 array with the default kind ("quicksort"), index for index, ties
 * included. NumPy's quicksort is an introsort (median-of-three quicksort, insertion sort below 16 elements, heapsort
 * when too deep) and is not stable: equal values come out in an order that depends on the whole array. The authors'
 * beam search takes each member's successors from {@code np.argsort(mask)} with the member's patches set to 2, so on
 * a mask with ties (I-GOS masks clamped at exactly 1.0, common on confident photos) the successors of different members
 * follow different orders. Port of {@code aquicksort_} and {@code aheapsort_} in NumPy 1.x
 * {@code numpy/core/src/npysort/quicksort.cpp} and {@code npysort_heapsort.h} (the scalar path; NumPy 1.x has no SIMD
 * argsort for float32 before 1.25, and Debian 12 ships 1.24).
 */
public final class NumpyArgsort {

    private static final int SMALL_QUICKSORT = 15;

    private NumpyArgsort() {
    }

    /** NumPy's {@code Tag::less} for floats: NaN sorts last. */
    private static boolean less(float a, float b) {
        return a < b || (b != b && a == a);
    }

    // one method, as NumPy's aquicksort_ is one function: a port checked against its source line by line stays a port
    public static int[] argsort(float[] v) {
        int num = v.length;
        int[] tosort = new int[num];
        for (int i = 0; i < num; i++) {
            tosort[i] = i;
        }
        if (num < 2) {
            return tosort;
        }
        int[] stack = new int[128];
        int[] depth = new int[64];
        int sptr = 0;
        int psdepth = 0;
        int pl = 0;
        int pr = num - 1;
        int cdepth = msb(num) * 2;
        for (;;) {
            boolean heap = cdepth < 0;
            if (heap) {
                aheapsort(v, tosort, pl, pr - pl + 1);
            } else {
                while (pr - pl > SMALL_QUICKSORT) {
                    int pm = pl + ((pr - pl) >> 1);
                    if (less(v[tosort[pm]], v[tosort[pl]])) {
                        swap(tosort, pm, pl);
                    }
                    if (less(v[tosort[pr]], v[tosort[pm]])) {
                        swap(tosort, pr, pm);
                    }
                    if (less(v[tosort[pm]], v[tosort[pl]])) {
                        swap(tosort, pm, pl);
                    }
                    float vp = v[tosort[pm]];
                    int pi = pl;
                    int pj = pr - 1;
                    swap(tosort, pm, pj);
                    for (;;) {
                        do {
                            ++pi;
                        } while (less(v[tosort[pi]], vp));
                        do {
                            --pj;
                        } while (less(vp, v[tosort[pj]]));
                        if (pi >= pj) {
                            break;
                        }
                        swap(tosort, pi, pj);
                    }
                    int pk = pr - 1;
                    swap(tosort, pi, pk);
                    if (pi - pl < pr - pi) {
                        stack[sptr++] = pi + 1;
                        stack[sptr++] = pr;
                        pr = pi - 1;
                    } else {
                        stack[sptr++] = pl;
                        stack[sptr++] = pi - 1;
                        pl = pi + 1;
                    }
                    depth[psdepth++] = --cdepth;
                }
                for (int pi = pl + 1; pi <= pr; ++pi) {
                    int vi = tosort[pi];
                    float vp = v[vi];
                    int pj = pi;
                    int pk = pi - 1;
                    while (pj > pl && less(vp, v[tosort[pk]])) {
                        tosort[pj--] = tosort[pk--];
                    }
                    tosort[pj] = vi;
                }
            }
            if (sptr == 0) {
                break;
            }
            pr = stack[--sptr];
            pl = stack[--sptr];
            cdepth = depth[--psdepth];
        }
        return tosort;
    }

    /** {@code aheapsort_} on {@code tosort[offset .. offset+n-1]} (1-based heap indexing as in NumPy). */
    private static void aheapsort(float[] v, int[] tosort, int offset, int n) {
        int base = offset - 1;
        for (int l = n >> 1; l > 0; --l) {
            int tmp = tosort[base + l];
            int i = l;
            for (int j = l << 1; j <= n;) {
                if (j < n && less(v[tosort[base + j]], v[tosort[base + j + 1]])) {
                    j += 1;
                }
                if (less(v[tmp], v[tosort[base + j]])) {
                    tosort[base + i] = tosort[base + j];
                    i = j;
                    j += j;
                } else {
                    break;
                }
            }
            tosort[base + i] = tmp;
        }
        for (; n > 1;) {
            int tmp = tosort[base + n];
            tosort[base + n] = tosort[base + 1];
            n -= 1;
            int i = 1;
            for (int j = 2; j <= n;) {
                if (j < n && less(v[tosort[base + j]], v[tosort[base + j + 1]])) {
                    j++;
                }
                if (less(v[tmp], v[tosort[base + j]])) {
                    tosort[base + i] = tosort[base + j];
                    i = j;
                    j += j;
                } else {
                    break;
                }
            }
            tosort[base + i] = tmp;
        }
    }

    /** {@code npy_get_msb}: index of the highest set bit. */
    private static int msb(int n) {
        int depth = 0;
        while ((n >>= 1) != 0) {
            depth++;
        }
        return depth;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
