package org.sagstudy.model;

import java.util.Locale;

/**
 * How the prediction model runs: the number format of its weights and activations, and the memory layout of its
 * images. fp32 in the contiguous (NCHW) layout is the model as exported; bf16 ({@code NAME.bf16.pt}) and bf16
 * channels-last ({@code NAME.bf16.channels-last.pt}) are separate TorchScript files next to it, made by
 * {@code scripts/models/variants.sh}, that take and return float32, so nothing else changes. Gradients (I-GOS,
 * Grad-CAM) always use the fp32 model: the variants speed up the search's forward passes only.
 *
 * <p>fp32 channels-last is refused because it is not exact: with DJL's libtorch on this project's AVX-512/AMX CPUs its
 * batched passes moved class probabilities by up to 0.12 (one image per pass, or oneDNN held to AVX2, matched fp32 to
 * 1e-6), more than bf16 itself moves them.
 */
public record ModelVariant(Precision precision, boolean channelsLast) {

    public enum Precision {
        FP32, BF16;

        /**
         * The largest difference in a class probability from the exported fp32 model that the model check accepts.
         * bf16 keeps 8 bits of mantissa: up to 0.03 measured on the shared MobileNetV2 and real photos.
         */
        double probabilityTolerance() {
            return this == FP32 ? 1e-4 : 0.05;
        }
    }

    public static final ModelVariant FP32 = new ModelVariant(Precision.FP32, false);

    /** @throws IllegalArgumentException naming the accepted values */
    public static ModelVariant parse(String precision, String memoryFormat) {
        Precision parsedPrecision = switch (precision.toLowerCase(Locale.ROOT)) {
            case "fp32" -> Precision.FP32;
            case "bf16" -> Precision.BF16;
            default -> throw new IllegalArgumentException("precision must be fp32 or bf16, not '" + precision + "'");
        };
        boolean parsedChannelsLast = switch (memoryFormat.toLowerCase(Locale.ROOT)) {
            case "contiguous" -> false;
            case "channels-last" -> true;
            default -> throw new IllegalArgumentException(
                    "memory format must be contiguous or channels-last, not '" + memoryFormat + "'");
        };
        if (parsedPrecision == Precision.FP32 && parsedChannelsLast) {
            throw new IllegalArgumentException("channels-last is offered with bf16 only: in fp32 it is not exact with "
                    + "libtorch's CPU kernels (see ModelVariant)");
        }
        return new ModelVariant(parsedPrecision, parsedChannelsLast);
    }

    /** What comes between the model's name and {@code .pt}: empty for fp32 contiguous. */
    public String fileSuffix() {
        return (precision == Precision.BF16 ? ".bf16" : "") + (channelsLast ? ".channels-last" : "");
    }

    /** {@code fp32}, {@code bf16} or {@code bf16-channels-last}, as results record it. */
    public String label() {
        return precision.name().toLowerCase(Locale.ROOT) + (channelsLast ? "-channels-last" : "");
    }

    public boolean isDefault() {
        return equals(FP32);
    }
}
