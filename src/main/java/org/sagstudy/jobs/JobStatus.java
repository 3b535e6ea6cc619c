package org.sagstudy.jobs;

/** A job as the packages above see it when they queue or check one: its id, state and last error. */
public record JobStatus(long id, JobState state, String lastError) {
}
