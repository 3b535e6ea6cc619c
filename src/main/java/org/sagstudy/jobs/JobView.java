package org.sagstudy.jobs;

import java.time.OffsetDateTime;

/** A job as the API and the pages show it. */
public record JobView(long id, JobKind kind, long imageId, String fileName, JobState state, String phase,
        double progress,
        int attempts, int maxAttempts, String error, String modelSha256, OffsetDateTime createdAt,
        OffsetDateTime startedAt, OffsetDateTime finishedAt) {
}
