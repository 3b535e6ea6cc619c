package org.sagstudy.explain.draw;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.MaskedConfidence;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.RgbImage;

/** Pictures of explanations: node images as the paper draws them, and heat-map overlays. */
public final class Drawing {

    /** Hidden regions are dimmed to this brightness in node images (the paper's figures). */
    static final float DIMMED = 0.1f;

    private Drawing() {
    }

    /** The image showing only {@code patches} through the soft mask, everything else at 10% brightness. */
    public static RgbImage patchImage(ImageTensor image, PatchGrid grid, PatchSet patches) {
        float[] mask = grid.upsample(patches);
        int plane = image.plane();
        float[] data = new float[image.data().length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                data[c * plane + i] = image.data()[c * plane + i] * (DIMMED + (1 - DIMMED) * mask[i]);
            }
        }
        return new ImageTensor(image.height(), image.width(), data).toRgb();
    }

    /** The image the model sees for {@code patches}, 8 bits per channel: the model's input rounded. */
    public static RgbImage modelInput(ImageTensor image, ImageTensor baseline, PatchGrid grid, PatchSet patches) {
        return MaskedConfidence.masked(image, baseline, grid, patches).toRgb();
    }

    /** A heat map in [0,1] drawn with the jet colour map, half over the image (as pytorch-grad-cam shows it). */
    public static RgbImage overlay(ImageTensor image, float[] heat) {
        int plane = image.plane();
        if (heat.length != plane) {
            throw new IllegalArgumentException("heat map does not match the image");
        }
        float[] data = new float[image.data().length];
        for (int i = 0; i < plane; i++) {
            float[] jet = jet(heat[i]);
            for (int c = 0; c < 3; c++) {
                data[c * plane + i] = 0.5f * image.data()[c * plane + i] + 0.5f * jet[c];
            }
        }
        return new ImageTensor(image.height(), image.width(), data).toRgb();
    }

    static float[] jet(float t) {
        float v = Math.max(0f, Math.min(1f, t));
        return new float[] {clamp(1.5f - Math.abs(4 * v - 3)), clamp(1.5f - Math.abs(4 * v - 2)),
            clamp(1.5f - Math.abs(4 * v - 1))};
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    public static byte[] png(RgbImage image) {
        return encode(image.toBufferedImage(), "png");
    }

    public static byte[] jpeg(RgbImage image) {
        return encode(image.toBufferedImage(), "jpeg");
    }

    static String dataUri(RgbImage image) {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg(image));
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
