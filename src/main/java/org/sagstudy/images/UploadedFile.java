package org.sagstudy.images;

import java.nio.file.Path;

/** One file of an upload, as the server received it: the name the sender gave, its size, where it was saved. */
public record UploadedFile(String fileName, long size, Path path) {
}
