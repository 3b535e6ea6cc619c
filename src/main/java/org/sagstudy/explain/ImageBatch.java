package org.sagstudy.explain;

import java.util.List;

/** {@code count} square RGB images packed as NCHW floats in [0,1]. */
public record ImageBatch(int count, int size, float[] data) {

    public ImageBatch {
        if (data.length != count * 3 * size * size) {
            throw new IllegalArgumentException("batch data does not match " + count + "x3x" + size + "x" + size);
        }
    }

    public static ImageBatch of(List<ImageTensor> images) {
        int size = images.get(0).width();
        int length = 3 * size * size;
        float[] data = new float[images.size() * length];
        for (int i = 0; i < images.size(); i++) {
            ImageTensor image = images.get(i);
            if (image.width() != size || image.height() != size) {
                throw new IllegalArgumentException("all images of a batch must be " + size + "x" + size);
            }
            System.arraycopy(image.data(), 0, data, i * length, length);
        }
        return new ImageBatch(images.size(), size, data);
    }

    public int imageLength() {
        return 3 * size * size;
    }
}
