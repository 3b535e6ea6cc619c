package org.sagstudy.images;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an upload stored and what it refused. {@code error} is set when nothing was stored; {@code status} is the
 * HTTP status that fits (201 when something was stored, else the most fitting 4xx).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadReport(String error, List<StoredFile> images, List<RejectedFile> rejected,
        @JsonIgnore int status) {

    /** A stored photo and the job that explains it (new, or the one it already had). */
    public record StoredFile(long id, String fileName, String sha256, long jobId, boolean alreadyKnown) {
    }

    /** A refused file and why. */
    public record RejectedFile(String fileName, String error) {
    }
}
