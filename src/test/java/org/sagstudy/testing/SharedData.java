package org.sagstudy.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's shared data (models, photos, golden values), read in place from {@code ../shared}. */
public final class SharedData {

    private SharedData() {
    }

    public static Path root() {
        Path root = Path.of(System.getProperty("sag.shared-dir", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("models"))) {
            throw new IllegalStateException("shared data not found at " + root + " (set -Dsag.shared-dir)");
        }
        return root;
    }

    public static Path model() {
        return root().resolve("models/mobilenet_v2");
    }

    public static Path image(String relative) {
        return root().resolve("data/images").resolve(relative);
    }

    public static Path golden(String relative) {
        return root().resolve("data/golden").resolve(relative);
    }
}
