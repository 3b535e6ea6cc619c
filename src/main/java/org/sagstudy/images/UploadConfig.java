package org.sagstudy.images;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on uploaded files. */
@ConfigMapping(prefix = "sag.upload")
public interface UploadConfig {

    /** Largest accepted image file. */
    @WithDefault("20000000")
    long maxFileBytes();

    /** Largest accepted image in pixels (width x height), checked before decoding. */
    @WithDefault("40000000")
    long maxPixels();

    /** Smallest accepted side in pixels. */
    @WithDefault("16")
    int minSide();

    /** Most files taken from one zip. */
    @WithDefault("1000")
    int maxZipEntries();

    /** Most bytes unpacked from one zip (against zip bombs). */
    @WithDefault("500000000")
    long maxZipBytes();
}
