package org.sagstudy.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.sagstudy.jobs.JobView;

/**
 * An image as the API and the pages list it: the stored file, its newest job, what the model predicted and what the
 * photo truly shows (when known).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageView(long id, String fileName, String sha256, int width, int height, long sizeBytes, JobView job,
        Predicted predicted, TrueClass trueClass) {

    /** What the photo truly shows, when known. */
    public record TrueClass(String wnid, String label) {
    }

    /** The model's class for the whole photo and its probability. */
    public record Predicted(String label, @JsonProperty("pFull") double pFull) {
    }
}
