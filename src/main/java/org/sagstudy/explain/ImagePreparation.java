package org.sagstudy.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** From a file to the classifier's input: decode as OpenCV does, then squash to a square with its linear resize. */
public final class ImagePreparation {

    private ImagePreparation() {
    }

    public static RgbImage resized(byte[] file, ImageDecoder decoder, int size) throws ImageDecoder.UnreadableImageException {
        return LinearResize.resize(decoder.decode(file), size, size);
    }

    public static RgbImage resized(Path file, ImageDecoder decoder, int size) throws ImageDecoder.UnreadableImageException {
        try {
            return resized(Files.readAllBytes(file), decoder, size);
        } catch (IOException e) {
            throw new ImageDecoder.UnreadableImageException("cannot read file: " + e.getMessage());
        }
    }
}
