package org.sagstudy.explain;

/** Per-channel mean and standard deviation that a model subtracts and divides by. */
public record Normalization(float[] mean, float[] std) {

    public static final Normalization IMAGENET =
            new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public static final Normalization IDENTITY = new Normalization(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});
}
