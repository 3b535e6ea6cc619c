package org.sagstudy.images;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.RgbImage;

/**
 * Checks uploaded files before anything is stored: name, size, type, dimensions (before decoding) and that the whole
 * image decodes. Zips are unpacked entry by entry with limits; each entry gets its own verdict.
 */
@ApplicationScoped
public class UploadCheck {

    /** A file that passed every check. */
    public record Accepted(String fileName, String contentType, byte[] bytes, int width, int height) {
    }

    /** A file that did not, and why. */
    public record Rejected(String fileName, String reason, int status) {
    }

    public record Verdicts(List<Accepted> accepted, List<Rejected> rejected) {
    }

    private final UploadConfig config;

    public UploadCheck(UploadConfig config) {
        this.config = config;
    }

    /** The largest upload worth reading: one image, or a zip (up to its unpacked limit, compressed). */
    public long maxUploadBytes(String fileName) {
        boolean zip = fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".zip");
        return zip ? config.maxZipBytes() : config.maxFileBytes();
    }

    public Verdicts check(String fileName, byte[] bytes) {
        List<Accepted> accepted = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        if (fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".zip") || isZip(bytes)) {
            unzip(fileName, bytes, accepted, rejected);
        } else {
            checkOne(fileName, bytes, accepted, rejected);
        }
        return new Verdicts(accepted, rejected);
    }

    private void checkOne(String fileName, byte[] bytes, List<Accepted> accepted, List<Rejected> rejected) {
        String nameProblem = nameProblem(fileName);
        if (nameProblem != null) {
            rejected.add(new Rejected(String.valueOf(fileName), nameProblem, 400));
            return;
        }
        if (bytes.length > config.maxFileBytes()) {
            rejected.add(new Rejected(fileName, "file too large: " + bytes.length + " bytes (limit "
                    + config.maxFileBytes() + ")", 413));
            return;
        }
        try {
            RgbImage image = new ImageDecoder(config.maxPixels()).decode(bytes);
            if (Math.min(image.width(), image.height()) < config.minSide()) {
                rejected.add(new Rejected(fileName, "image too small: " + image.width() + "x" + image.height()
                        + " (at least " + config.minSide() + " pixels a side)", 400));
                return;
            }
            accepted.add(new Accepted(fileName, contentType(bytes), bytes, image.width(), image.height()));
        } catch (ImageDecoder.UnreadableImageException e) {
            int status = e.getMessage().startsWith("not a supported image") ? 415 : 400;
            rejected.add(new Rejected(fileName, e.getMessage(), status));
        }
    }

    private void unzip(String zipName, byte[] bytes, List<Accepted> accepted, List<Rejected> rejected) {
        int acceptedBefore = accepted.size();
        int entries = 0;
        long unpacked = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String path = entry.getName();
                if (++entries > config.maxZipEntries()) {
                    rejectWholeZip(accepted, acceptedBefore, rejected, zipName,
                            "zip has more than " + config.maxZipEntries() + " files");
                    return;
                }
                if (path.startsWith("/") || path.startsWith("\\") || List.of(path.split("[/\\\\]")).contains("..")) {
                    rejected.add(new Rejected(path, "path leaves the zip (path traversal)", 400));
                    continue;
                }
                String baseName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
                if (baseName.startsWith(".") || path.startsWith("__MACOSX/")) {
                    continue; // metadata files of macOS and friends, not photos
                }
                byte[] content = readLimited(zip, config.maxFileBytes() + 1);
                unpacked += content.length;
                if (content.length > config.maxFileBytes() || unpacked > config.maxZipBytes()) {
                    // stop here rather than inflate the rest of a possibly endless entry
                    rejectWholeZip(accepted, acceptedBefore, rejected, zipName, content.length > config.maxFileBytes()
                            ? path + " unpacks to more than " + config.maxFileBytes() + " bytes"
                            : "zip unpacks to more than " + config.maxZipBytes() + " bytes");
                    return;
                }
                checkOne(baseName, content, accepted, rejected);
            }
            if (entries == 0) {
                rejected.add(new Rejected(zipName, "zip holds no files", 400));
            }
        } catch (IOException | IllegalArgumentException e) {
            rejected.add(new Rejected(zipName, "cannot read zip: " + e.getMessage(), 400));
        }
    }

    private static void rejectWholeZip(List<Accepted> accepted, int acceptedBefore, List<Rejected> rejected,
            String zipName, String reason) {
        accepted.subList(acceptedBefore, accepted.size()).clear();
        rejected.add(new Rejected(zipName, reason + "; nothing from it was stored", 413));
    }

    private static byte[] readLimited(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            if (out.size() >= limit) {
                break;
            }
        }
        return out.toByteArray();
    }

    /** Null when the name is fine; names must be plain file names (no folders, no "..", no control characters). */
    static String nameProblem(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "file name missing";
        }
        if (fileName.contains("/") || fileName.contains("\\") || fileName.equals("..") || fileName.equals(".")) {
            return "file name must not contain a path (path traversal)";
        }
        if (fileName.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || fileName.length() > 255) {
            return "file name has control characters or is too long";
        }
        return null;
    }

    private static boolean isZip(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
    }

    static String contentType(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8) {
            return "image/jpeg";
        }
        if (bytes.length >= 4 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "image/png";
        }
        if (bytes.length >= 3 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F') {
            return "image/gif";
        }
        if (bytes.length >= 2 && bytes[0] == 'B' && bytes[1] == 'M') {
            return "image/bmp";
        }
        return "application/octet-stream";
    }
}
