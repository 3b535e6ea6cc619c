package org.sagstudy.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A TorchScript classifier on disk: {@code NAME.pt} (images in, logits out), optionally {@code NAME_gradcam.pt}
 * (images in, logits and last convolutional features out), {@code synset.txt} (one {@code wnid label} per class), and
 * optionally faster variants of {@code NAME.pt} ({@link ModelVariant}). {@code modelFile} is the file predictions use
 * and {@code sha256} its hash, so explanations made with a variant never pass for the fp32 model's.
 */
public record ModelFolder(Path directory, String name, Path modelFile, Path gradCamFile, List<String> wnids,
        List<String> labels, String sha256, ModelVariant variant) {

    /** A model folder that cannot be used; the message says what is missing or wrong. */
    public static final class InvalidModelException extends Exception {
        public InvalidModelException(String message) {
            super(message);
        }
    }

    public static final String GRADCAM_SUFFIX = "_gradcam";

    public static ModelFolder open(Path directory) throws InvalidModelException {
        if (!Files.isDirectory(directory)) {
            throw new InvalidModelException("model folder not found: " + directory.toAbsolutePath().normalize()
                    + " (give --model DIR or set SAG_MODEL_DIR)");
        }
        Path modelFile = findModelFile(directory);
        String name = stem(modelFile);
        Path gradCam = directory.resolve(name + GRADCAM_SUFFIX + ".pt");
        Path synset = directory.resolve("synset.txt");
        if (!Files.isReadable(synset)) {
            throw new InvalidModelException("model folder " + directory + " has no synset.txt (one 'wnid label' per class)");
        }
        List<String> wnids = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(synset, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int space = trimmed.indexOf(' ');
                wnids.add(space < 0 ? trimmed : trimmed.substring(0, space));
                labels.add(space < 0 ? trimmed : trimmed.substring(space + 1).strip());
            }
            return new ModelFolder(directory, name, modelFile, Files.isReadable(gradCam) ? gradCam : null,
                    List.copyOf(wnids), List.copyOf(labels), sha256(modelFile), ModelVariant.FP32);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read model folder " + directory + ": " + e.getMessage());
        }
    }

    /** This folder with predictions made by {@code variant}'s file, which must exist. */
    public ModelFolder withVariant(ModelVariant variant) throws InvalidModelException {
        if (variant.equals(this.variant)) {
            return this;
        }
        Path file = directory.resolve(name + variant.fileSuffix() + ".pt");
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException("model folder " + directory + " has no " + file.getFileName() + " for "
                    + variant.label() + "; make it with scripts/models/variants.sh " + directory + " OUT_DIR"
                    + " (then use --model OUT_DIR)");
        }
        try {
            return new ModelFolder(directory, name, file, gradCamFile, wnids, labels, sha256(file), variant);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The model as exported (fp32, contiguous): gradients use it when there is no Grad-CAM file. */
    public Path exportedModelFile() {
        return directory.resolve(name + ".pt");
    }

    private static Path findModelFile(Path directory) throws InvalidModelException {
        Path named = directory.resolve(directory.getFileName() + ".pt");
        if (Files.isRegularFile(named)) {
            return named;
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> candidates = files.filter(p -> p.getFileName().toString().endsWith(".pt"))
                    .filter(p -> !stem(p).endsWith(GRADCAM_SUFFIX))
                    // NAME.bf16.pt and the like are variants of NAME.pt
                    .filter(p -> !stem(p).contains(".")).sorted().toList();
            if (candidates.size() != 1) {
                throw new InvalidModelException("model folder " + directory + " must hold one TorchScript model (*.pt),"
                        + " found " + candidates.size());
            }
            return candidates.get(0);
        } catch (IOException e) {
            throw new InvalidModelException("cannot list model folder " + directory + ": " + e.getMessage());
        }
    }

    private static String stem(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.length() - ".pt".length());
    }

    public static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
