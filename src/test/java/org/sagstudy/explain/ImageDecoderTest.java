package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.SharedData;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(50_000_000L);

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    @Test
    void greyIsReplicatedWithoutColourConversionAndSixteenBitsKeepTheHighByte() throws Exception {
        BufferedImage grey = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 2, 0, 100);
        RgbImage rgb = decoder.decode(encode(grey, "png"));
        assertEquals(100, rgb.get(1, 2, 0));
        assertEquals(100, rgb.get(1, 2, 1));
        assertEquals(100, rgb.get(1, 2, 2));

        BufferedImage deep = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 0xabcd);
        assertEquals(0xab, decoder.decode(encode(deep, "png")).get(0, 0, 1));
    }

    @Test
    void anEmbeddedIccProfileIsIgnoredAsOpenCvIgnoresIt() throws Exception {
        // a dev photo with a scanner ICC profile, which the JDK's reader would convert to sRGB; values from
        // cv2.imread (OpenCV 4.6, libjpeg-turbo), RGB
        byte[] photo = java.nio.file.Files.readAllBytes(SharedData.root().resolve("data/images/imagenet-dev")
                .resolve("n01601694_water_ouzel.JPEG"));
        assertTrue(ImageDecoder.withoutIccProfile(photo).length < photo.length);
        RgbImage rgb = decoder.decode(photo);
        int[][] expected = {{0, 0, 84, 74, 72}, {200, 100, 115, 118, 101}, {499, 374, 105, 154, 47},
            {250, 187, 142, 148, 162}};
        for (int[] e : expected) {
            for (int c = 0; c < 3; c++) {
                assertEquals(e[2 + c], rgb.get(e[0], e[1], c), "pixel " + e[0] + "," + e[1] + " channel " + c);
            }
        }
    }

    @Test
    void alphaIsDropped() throws Exception {
        BufferedImage argb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x10203040);
        RgbImage rgb = decoder.decode(encode(argb, "png"));
        assertEquals(0x20, rgb.get(0, 0, 0));
        assertEquals(0x30, rgb.get(0, 0, 1));
        assertEquals(0x40, rgb.get(0, 0, 2));
    }

    @Test
    void exifOrientationIsAppliedAsOpenCvDoes() throws Exception {
        BufferedImage image = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 16, 16);
        g.setColor(Color.BLUE);
        g.fillRect(16, 0, 16, 16);
        g.dispose();
        byte[] jpeg = encode(image, "jpeg");
        // orientation 6: the camera was turned, display rotated 90 degrees clockwise (left edge becomes the top)
        RgbImage rotated = decoder.decode(withExifOrientation(jpeg, 6));
        assertEquals(16, rotated.width());
        assertEquals(32, rotated.height());
        assertTrue(rotated.get(8, 4, 0) > 200 && rotated.get(8, 4, 2) < 60, "red on top");
        assertTrue(rotated.get(8, 28, 2) > 200 && rotated.get(8, 28, 0) < 60, "blue at the bottom");
        RgbImage upright = decoder.decode(jpeg);
        assertEquals(32, upright.width());
    }

    @Test
    void badFilesAreRejectedWithAReason() throws Exception {
        assertTrue(assertThrows(ImageDecoder.UnreadableImageException.class, () -> decoder.decode(new byte[0]))
                .getMessage().contains("0 bytes"));
        assertTrue(assertThrows(ImageDecoder.UnreadableImageException.class,
                () -> decoder.decode("hello".getBytes())).getMessage().contains("not a supported image"));
        byte[] png = encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        String bomb = assertThrows(ImageDecoder.UnreadableImageException.class,
                () -> decoder.decode(withPngSize(png, 30000, 30000))).getMessage();
        assertTrue(bomb.contains("too large: 30000x30000"), bomb);
        byte[] jpeg = encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "jpeg");
        assertThrows(ImageDecoder.UnreadableImageException.class,
                () -> decoder.decode(java.util.Arrays.copyOf(jpeg, jpeg.length / 2)));
    }

    /** Inserts an APP1 EXIF segment holding only the orientation tag after the JPEG's SOI marker. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = tiff.array();
        ByteBuffer segment = ByteBuffer.allocate(4 + 6 + exif.length);
        segment.put((byte) 0xff).put((byte) 0xe1).putShort((short) (2 + 6 + exif.length));
        segment.put(new byte[] {'E', 'x', 'i', 'f', 0, 0}).put(exif);
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + segment.capacity());
        out.put(jpeg, 0, 2).put(segment.array()).put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** Rewrites a PNG's IHDR to claim another size (with a valid CRC), as a decompression bomb would. */
    private static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] copy = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(copy);
        buffer.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return copy;
    }
}
