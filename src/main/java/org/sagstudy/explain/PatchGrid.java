package org.sagstudy.explain;

/**
 * A square grid of patches over a square image, and the bilinear (align-corners) upsampling that turns a
 * grid of values into a per-pixel mask: {@code M = A G A^T} with {@code A[y][r] = tent((side-1) y / (size-1) - r)}.
 * Each pixel row touches at most two grid rows, so the upsampling and its adjoint cost four products per pixel.
 */
public final class PatchGrid {

    private final int side;
    private final int imageSize;
    /** For each pixel coordinate: the lower grid index it interpolates from, and the weight of that index. */
    private final int[] lowerIndex;
    private final float[] lowerWeight;

    public PatchGrid(int side, int imageSize) {
        if (side < 2 || imageSize < 2) {
            throw new IllegalArgumentException("grid side and image size must be at least 2");
        }
        this.side = side;
        this.imageSize = imageSize;
        this.lowerIndex = new int[imageSize];
        this.lowerWeight = new float[imageSize];
        for (int y = 0; y < imageSize; y++) {
            double t = (double) (side - 1) * y / (imageSize - 1);
            int r = Math.min((int) Math.floor(t), side - 2);
            lowerIndex[y] = r;
            lowerWeight[y] = (float) (1.0 - (t - r));
        }
    }

    public static PatchGrid paper() {
        return new PatchGrid(7, 224);
    }

    public int side() {
        return side;
    }

    public int imageSize() {
        return imageSize;
    }

    public int patchCount() {
        return side * side;
    }

    /** {@code A[y][r]}: how much grid row (or column) {@code r} contributes to pixel row {@code y}. */
    public float weight(int y, int r) {
        int lower = lowerIndex[y];
        if (r == lower) {
            return lowerWeight[y];
        }
        if (r == lower + 1) {
            return 1f - lowerWeight[y];
        }
        return 0f;
    }

    /** Upsamples a row-major {@code side x side} grid of values to an {@code imageSize^2} mask. */
    public float[] upsample(float[] grid) {
        int n = imageSize;
        float[] mask = new float[n * n];
        for (int y = 0; y < n; y++) {
            int r = lowerIndex[y];
            float wy0 = lowerWeight[y];
            float wy1 = 1f - wy0;
            int row0 = r * side;
            int row1 = row0 + side;
            int base = y * n;
            for (int x = 0; x < n; x++) {
                int c = lowerIndex[x];
                float wx0 = lowerWeight[x];
                float wx1 = 1f - wx0;
                mask[base + x] = wy0 * (wx0 * grid[row0 + c] + wx1 * grid[row0 + c + 1])
                        + wy1 * (wx0 * grid[row1 + c] + wx1 * grid[row1 + c + 1]);
            }
        }
        return mask;
    }

    /** The mask of a patch set: 1 on shown grid points, 0 on hidden ones. */
    public float[] upsample(PatchSet patches) {
        return upsample(binaryGrid(patches));
    }

    public float[] binaryGrid(PatchSet patches) {
        float[] grid = new float[patchCount()];
        for (int p : patches.indices()) {
            if (p >= grid.length) {
                throw new IllegalArgumentException("patch " + p + " outside a " + side + "x" + side + " grid");
            }
            grid[p] = 1f;
        }
        return grid;
    }

    /** The adjoint of {@link #upsample(float[])}: {@code A^T D A}, the gradient with respect to the grid. */
    public float[] adjoint(float[] pixelGradient) {
        int n = imageSize;
        float[] grid = new float[patchCount()];
        for (int y = 0; y < n; y++) {
            int r = lowerIndex[y];
            float wy0 = lowerWeight[y];
            float wy1 = 1f - wy0;
            int row0 = r * side;
            int row1 = row0 + side;
            int base = y * n;
            for (int x = 0; x < n; x++) {
                float d = pixelGradient[base + x];
                if (d == 0f) {
                    continue;
                }
                int c = lowerIndex[x];
                float wx0 = lowerWeight[x];
                float wx1 = 1f - wx0;
                grid[row0 + c] += wy0 * wx0 * d;
                grid[row0 + c + 1] += wy0 * wx1 * d;
                grid[row1 + c] += wy1 * wx0 * d;
                grid[row1 + c + 1] += wy1 * wx1 * d;
            }
        }
        return grid;
    }

    /** Mean of the values of each patch cell of an {@code imageSize^2} map (average pooling to the grid). */
    public float[] averagePool(float[] map, int mapSize) {
        float[] pooled = new float[patchCount()];
        int[] counts = new int[patchCount()];
        for (int y = 0; y < mapSize; y++) {
            int r = Math.min(y * side / mapSize, side - 1);
            for (int x = 0; x < mapSize; x++) {
                int c = Math.min(x * side / mapSize, side - 1);
                pooled[r * side + c] += map[y * mapSize + x];
                counts[r * side + c]++;
            }
        }
        for (int i = 0; i < pooled.length; i++) {
            pooled[i] /= counts[i];
        }
        return pooled;
    }
}
