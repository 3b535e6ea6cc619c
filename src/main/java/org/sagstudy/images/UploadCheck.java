package org.sagstudy.images;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
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

    /** Photos hardly compress; an entry inflating beyond this ratio (past some slack) is a zip bomb. */
    private static final long BOMB_RATIO = 100;
    private static final long BOMB_SLACK_BYTES = 16_000_000;

    private final UploadConfig config;

    public UploadCheck(UploadConfig config) {
        this.config = config;
    }

    /** The largest upload worth reading: one image, or a zip (up to its unpacked limit, compressed). */
    public long maxUploadBytes(String fileName) {
        boolean zip = fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".zip");
        return zip ? config.maxZipBytes() : config.maxFileBytes();
    }

    /** A zip refused as a whole: nothing from it may be stored. */
    public static final class Refused extends Exception {

        private final Rejected verdict;

        Refused(String zipName, String reason) {
            super(reason, null, false, false);
            this.verdict = new Rejected(zipName, reason + "; nothing from it was stored", 413);
        }

        public Rejected verdict() {
            return verdict;
        }
    }

    /** What one request may unpack in all, whatever its zips hold (skipped entries count too). */
    public static final class Budget {

        private long left;

        public Budget(long bytes) {
            this.left = bytes;
        }
    }

    public Budget requestBudget() {
        return new Budget(config.maxZipBytes());
    }

    /** Checks a file held in memory (a photo, or a zip of photos). */
    public Verdicts check(String fileName, byte[] bytes) {
        List<Accepted> accepted = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        try {
            if (isZip(fileName, bytes)) {
                rejected.addAll(unzip(fileName, new ByteArrayInputStream(bytes), requestBudget(), accepted::add));
            } else {
                checkOne(fileName, bytes, accepted::add, rejected);
            }
        } catch (Refused e) {
            accepted.clear();
            rejected.add(e.verdict());
        }
        return new Verdicts(accepted, rejected);
    }

    /**
     * Checks an uploaded file on disk. Each photo that passes goes to {@code store} as soon as it is read, so a zip
     * of many photos is never held in memory at once; the refusals are returned. A zip that breaks a limit (too many
     * files, too many unpacked bytes for this request, or a compression ratio only a zip bomb has) is refused as a
     * whole with {@link Refused}: the caller must undo what it stored from it.
     */
    public List<Rejected> check(String fileName, Path file, Budget budget, Consumer<Accepted> store)
            throws Refused, IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (isZip(fileName, magic)) {
                return unzip(fileName, in, budget, store);
            }
            List<Rejected> rejected = new ArrayList<>();
            checkOne(fileName, in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxFileBytes() + 1)), store,
                    rejected);
            return rejected;
        }
    }

    private void checkOne(String fileName, byte[] bytes, Consumer<Accepted> store, List<Rejected> rejected) {
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
            store.accept(new Accepted(fileName, contentType(bytes), bytes, image.width(), image.height()));
        } catch (ImageDecoder.UnreadableImageException e) {
            int status = e.getMessage().startsWith("not a supported image") ? 415 : 400;
            rejected.add(new Rejected(fileName, e.getMessage(), status));
        }
    }

    private List<Rejected> unzip(String zipName, InputStream raw, Budget budget, Consumer<Accepted> store)
            throws Refused {
        List<Rejected> rejected = new ArrayList<>();
        CountingInputStream compressed = new CountingInputStream(raw);
        long inflated = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(compressed)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String path = entry.getName();
                if (!entry.isDirectory() && ++entries > config.maxZipEntries()) {
                    throw new Refused(zipName, "zip has more than " + config.maxZipEntries() + " files");
                }
                boolean wanted = !entry.isDirectory() && !metadata(path) && !escapes(path);
                long before = inflated;
                // read (or drain) the entry ourselves: an entry skipped below still costs what it inflates to
                EntryRead read = read(zip, wanted ? config.maxFileBytes() + 1 : 0,
                        limits(zipName, budget, compressed, before));
                inflated += read.inflated();
                if (entry.isDirectory() || metadata(path)) {
                    continue; // folders and the metadata files of macOS and friends, not photos
                }
                if (!wanted) {
                    rejected.add(new Rejected(path, "path leaves the zip (path traversal)", 400));
                    continue;
                }
                if (read.inflated() > config.maxFileBytes()) {
                    throw new Refused(zipName, path + " unpacks to more than " + config.maxFileBytes() + " bytes");
                }
                String baseName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
                checkOne(baseName, read.kept(), store, rejected);
            }
            if (entries == 0) {
                rejected.add(new Rejected(zipName, "zip holds no files", 400));
            }
            budget.left -= inflated;
        } catch (IOException | IllegalArgumentException e) {
            rejected.add(new Rejected(zipName, "cannot read zip: " + e.getMessage(), 400));
        }
        return rejected;
    }

    /**
     * Refuses the zip when what it has inflated to so far ({@code before} the current entry, plus the entry's bytes)
     * breaks the request's budget or looks like a zip bomb.
     */
    private InflationGuard limits(String zipName, Budget budget, CountingInputStream compressed, long before) {
        return sofar -> {
            long total = before + sofar;
            if (total > budget.left) {
                throw new Refused(zipName, "the upload unpacks to more than " + config.maxZipBytes()
                        + " bytes");
            }
            if (total > BOMB_SLACK_BYTES && total > BOMB_RATIO * compressed.count) {
                throw new Refused(zipName, "zip unpacks to " + total / Math.max(1, compressed.count)
                        + " times its size (a zip bomb)");
            }
        };
    }

    /** An entry's first bytes (up to the keep limit) and how many bytes it inflated to. */
    private record EntryRead(byte[] kept, long inflated) {
    }

    /** Checks the bytes an entry has inflated to so far; refuses the zip when they break a limit. */
    private interface InflationGuard {
        void check(long inflated) throws Refused;
    }

    private static EntryRead read(InputStream in, long keep, InflationGuard guard) throws IOException, Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        long inflated = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            inflated += n;
            guard.check(inflated);
            if (out.size() < keep) {
                out.write(buffer, 0, (int) Math.min(n, keep - out.size()));
            } else if (keep > 0) {
                break; // over the size of a photo: the caller refuses it
            }
        }
        return new EntryRead(out.toByteArray(), inflated);
    }

    private static boolean metadata(String path) {
        String baseName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        return baseName.startsWith(".") || path.startsWith("__MACOSX/");
    }

    private static boolean escapes(String path) {
        return path.startsWith("/") || path.startsWith("\\") || List.of(path.split("[/\\\\]")).contains("..");
    }

    /** Counts the compressed bytes a zip reader has taken, to spot entries that inflate far beyond them. */
    private static final class CountingInputStream extends FilterInputStream {

        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(0, n);
            return n;
        }
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

    private static boolean isZip(String fileName, byte[] start) {
        return fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".zip")
                || start.length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4;
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
