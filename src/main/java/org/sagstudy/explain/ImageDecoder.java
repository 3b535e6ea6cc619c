package org.sagstudy.explain;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files (JPEG, PNG, BMP, GIF) to 8-bit RGB the way OpenCV's {@code imread(IMREAD_COLOR)} does: grey is
 * replicated, alpha dropped, 16-bit samples reduced to their high byte, and a JPEG's EXIF orientation applied.
 * Dimensions are checked before any pixel is decoded, so a decompression bomb costs nothing, and a truncated or
 * corrupt file is an error rather than a half-grey picture.
 */
public final class ImageDecoder {

    /** Why a file could not be used as an image; the message names the problem in plain words. */
    public static final class UnreadableImageException extends Exception {
        public UnreadableImageException(String message) {
            super(message);
        }
    }

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public static ImageDecoder withDefaultLimits() {
        return new ImageDecoder(50_000_000L);
    }

    /** ImageIO reads more (TIFF, for one); the project takes only the common photo formats. */
    private static final java.util.Set<String> SUPPORTED = java.util.Set.of("jpeg", "jpg", "png", "bmp", "gif");

    public RgbImage decode(byte[] bytes) throws UnreadableImageException {
        if (bytes.length == 0) {
            throw new UnreadableImageException("empty file (0 bytes)");
        }
        // OpenCV ignores a JPEG's embedded ICC profile; the JDK's JPEG reader converts the pixels from it to sRGB
        // when it is not sRGB (3 of the 50 dev photos), so the profile is removed before decoding.
        byte[] stream = withoutIccProfile(bytes);
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(stream))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new UnreadableImageException("not a supported image (JPEG, PNG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            if (!SUPPORTED.contains(reader.getFormatName().toLowerCase(java.util.Locale.ROOT))) {
                throw new UnreadableImageException("not a supported image (JPEG, PNG, BMP or GIF)");
            }
            try {
                reader.setInput(input, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new UnreadableImageException("image too large: " + width + "x" + height + " pixels (limit "
                            + maxPixels + " pixels)");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new UnreadableImageException("corrupt or truncated image: " + warnings.get(0));
                }
                RgbImage rgb = toRgb(image);
                int orientation = "jpeg".equalsIgnoreCase(reader.getFormatName()) ? ExifOrientation.read(bytes) : 1;
                return orientation == 1 ? rgb : ExifOrientation.apply(rgb, orientation);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UnreadableImageException("cannot decode image: " + reason);
        }
    }

    /** A JPEG without its APP2 ICC_PROFILE segments (the same bytes otherwise); other data is returned unchanged. */
    static byte[] withoutIccProfile(byte[] data) {
        if (data.length < 4 || (data[0] & 0xff) != 0xff || (data[1] & 0xff) != 0xd8) {
            return data;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(data.length);
        out.write(data, 0, 2);
        int i = 2;
        boolean removed = false;
        while (i + 4 <= data.length && (data[i] & 0xff) == 0xff) {
            int marker = data[i + 1] & 0xff;
            if (marker == 0xda || marker == 0xd9) {
                break;
            }
            int length = ((data[i + 2] & 0xff) << 8) | (data[i + 3] & 0xff);
            if (length < 2 || i + 2 + length > data.length) {
                return data;
            }
            boolean icc = marker == 0xe2 && length >= 2 + 12 && new String(data, i + 4, 12,
                    java.nio.charset.StandardCharsets.ISO_8859_1).equals("ICC_PROFILE\0");
            if (icc) {
                removed = true;
            } else {
                out.write(data, i, 2 + length);
            }
            i += 2 + length;
        }
        if (!removed) {
            return data;
        }
        out.write(data, i, data.length - i);
        return out.toByteArray();
    }

    static RgbImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] pixels = new byte[width * height * 3];
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean direct = image.getColorModel() instanceof ComponentColorModel
                && (bands == 1 || bands == 2 || bands == 3 || bands == 4);
        if (direct) {
            // Raw samples: getRGB() would push grey through a colour-space conversion and change its values.
            int shift = raster.getSampleModel().getSampleSize(0) - 8;
            int colourBands = bands <= 2 ? 1 : 3;
            int[] row = new int[width * bands];
            for (int y = 0; y < height; y++) {
                raster.getPixels(0, y, width, 1, row);
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        int sample = row[x * bands + (colourBands == 1 ? 0 : c)];
                        pixels[(y * width + x) * 3 + c] = (byte) (shift > 0 ? sample >> shift : sample);
                    }
                }
            }
        } else {
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int argb = row[x];
                    int i = (y * width + x) * 3;
                    pixels[i] = (byte) (argb >> 16);
                    pixels[i + 1] = (byte) (argb >> 8);
                    pixels[i + 2] = (byte) argb;
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /** EXIF orientation of a JPEG (tag 0x0112 in IFD0), which OpenCV applies on load. */
    static final class ExifOrientation {

        private ExifOrientation() {
        }

        static int read(byte[] jpeg) {
            int i = 2;
            while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xff) {
                int marker = jpeg[i + 1] & 0xff;
                int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
                if (marker == 0xda || length < 2) {
                    return 1;
                }
                if (marker == 0xe1 && length >= 16 && i + 2 + length <= jpeg.length
                        && new String(jpeg, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("Exif")) {
                    return fromTiff(ByteBuffer.wrap(jpeg, i + 10, length - 8).slice());
                }
                i += 2 + length;
            }
            return 1;
        }

        private static int fromTiff(ByteBuffer tiff) {
            try {
                tiff.order(tiff.getShort(0) == 0x4949 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                int ifd = tiff.getInt(4);
                int entries = tiff.getShort(ifd) & 0xffff;
                for (int e = 0; e < entries; e++) {
                    int entry = ifd + 2 + e * 12;
                    if ((tiff.getShort(entry) & 0xffff) == 0x0112) {
                        int value = tiff.getShort(entry + 8) & 0xffff;
                        return value >= 1 && value <= 8 ? value : 1;
                    }
                }
            } catch (IndexOutOfBoundsException malformedExif) {
                return 1;
            }
            return 1;
        }

        /** Applies an orientation: output pixel (x, y) is read from the source position the EXIF value names. */
        static RgbImage apply(RgbImage image, int orientation) {
            int w = image.width();
            int h = image.height();
            boolean swap = orientation >= 5;
            int outW = swap ? h : w;
            int outH = swap ? w : h;
            byte[] out = new byte[outW * outH * 3];
            byte[] in = image.pixels();
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int sx;
                    int sy;
                    switch (orientation) {
                        case 2 -> { sx = w - 1 - x; sy = y; }
                        case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                        case 4 -> { sx = x; sy = h - 1 - y; }
                        case 5 -> { sx = y; sy = x; }
                        case 6 -> { sx = y; sy = h - 1 - x; }
                        case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                        case 8 -> { sx = w - 1 - y; sy = x; }
                        default -> { sx = x; sy = y; }
                    }
                    System.arraycopy(in, (sy * w + sx) * 3, out, (y * outW + x) * 3, 3);
                }
            }
            return new RgbImage(outW, outH, out);
        }
    }
}
