package org.sagstudy.images;

import java.util.Optional;

/**
 * Something above this package that holds on to images (a study's items): asked before an image is deleted, so the
 * images package needs no knowledge of who uses them.
 */
public interface ImageUsage {

    /** Why the image must stay (for example "the study Pilot uses it"), or empty. */
    Optional<String> reasonToKeep(long imageId);
}
