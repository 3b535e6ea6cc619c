package org.sagstudy.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.database.AdvisoryLocks;
import org.sagstudy.database.EnumSql;
import org.sagstudy.database.NamedParameters;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.Photos;
import org.sagstudy.problem.Conflict;

/**
 * The precompute queue in PostgreSQL. A worker takes the oldest available job with {@code FOR UPDATE SKIP LOCKED}
 * and holds it for a lease it renews with every progress report; when a worker dies its lease runs out and another
 * takes the job. Every state change checks that the caller still holds the lease, so a job's result is stored at
 * most once (and {@code explanation.job_id} is unique besides).
 */
@ApplicationScoped
public class JobQueue {

    /** What a worker needs to run a job. */
    public record Work(long jobId, JobKind kind, long imageId, Long explanationId, String fileName,
            String imageSha256, byte[] bytes, String modelSha256, String parameters) {
    }

    private static final String STATUS = "SELECT id, state, last_error FROM job ";
    private static final RowMapper<JobStatus> STATUS_ROW = ConstructorMapper.of(JobStatus.class);

    private record JobRow(JobKind kind, long imageId, Long explanationId, String modelSha256, String parameters) {
    }

    private static final RowMapper<JobRow> JOB_ROW = ConstructorMapper.of(JobRow.class);

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Photos photos;
    private final Explanations explanations;

    public JobQueue(Jdbi jdbi, ObjectMapper json, Photos photos, Explanations explanations) {
        this.jdbi = jdbi;
        this.json = json;
        this.photos = photos;
        this.explanations = explanations;
    }

    @Transactional
    public JobStatus enqueue(long imageId, String modelSha256, JobParameters parameters, int maxAttempts) {
        return insert(JobKind.EXPLAIN, imageId, null, modelSha256, parameters, maxAttempts);
    }

    /** The newest explanation job of a photo by a model, in any state. */
    public Optional<JobStatus> latestExplanation(long imageId, String modelSha256) {
        return newest(EnumSql.with("WHERE image_id = :imageId AND model_sha256 = :model AND kind = :explain",
                JobKind.EXPLAIN), "imageId", imageId, "model", modelSha256);
    }

    /** The newest explanation job of a photo by a model that is queued, running or done (not failed, cancelled). */
    public Optional<JobStatus> liveExplanation(long imageId, String modelSha256) {
        return newest(EnumSql.with("""
                WHERE image_id = :imageId AND model_sha256 = :model AND kind = :explain
                  AND state IN (:queued, :running, :done)""", JobKind.EXPLAIN, JobState.QUEUED, JobState.RUNNING,
                JobState.DONE), "imageId", imageId, "model", modelSha256);
    }

    /** Jobs of a model still queued or running. */
    public long unfinished(String modelSha256) {
        return jdbi.withHandle(handle -> handle.createQuery(EnumSql.with("""
                SELECT count(*) FROM job WHERE model_sha256 = :model AND state IN (:queued, :running)""",
                JobState.QUEUED, JobState.RUNNING)).bind("model", modelSha256).mapTo(Long.class).one());
    }

    /**
     * The job that computes these confidences for an explanation: the one already waiting or running for it, else a
     * new one (so that viewing a study again does not queue its work twice). Committed on its own: a study that
     * cannot open yet (because this work is pending) rolls its own change back, and the work must stay queued.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public JobStatus enqueueConfidences(long imageId, long explanationId, String modelSha256,
            ConfidenceRequest request, int maxAttempts) {
        // two processes (or two pages) asking at the same moment wait here instead of both queueing the work
        AdvisoryLocks.holdUntilCommit(jdbi, "confidences:" + explanationId);
        return newest(EnumSql.with("WHERE kind = :confidences AND explanation_id = :explanationId "
                + "AND state IN (:queued, :running)", JobKind.CONFIDENCES, JobState.QUEUED, JobState.RUNNING),
                "explanationId", explanationId)
                .orElseGet(() -> insert(JobKind.CONFIDENCES, imageId, explanationId, modelSha256, request,
                        maxAttempts));
    }

    /** The newest confidences job of an explanation, if any. */
    public Optional<JobStatus> latestConfidences(long explanationId) {
        return newest(EnumSql.with("WHERE kind = :confidences AND explanation_id = :explanationId",
                JobKind.CONFIDENCES), "explanationId", explanationId);
    }

    private Optional<JobStatus> newest(String where, Object... namesAndValues) {
        return jdbi.withHandle(handle -> handle.createQuery(STATUS + where + " ORDER BY id DESC LIMIT 1")
                .bindMap(NamedParameters.of(namesAndValues)).map(STATUS_ROW).findOne());
    }

    private JobStatus insert(JobKind kind, long imageId, Long explanationId, String modelSha256, Object parameters,
            int maxAttempts) {
        String document;
        try {
            document = json.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                INSERT INTO job (kind, image_id, explanation_id, model_sha256, parameters, max_attempts)
                VALUES (:kind, :imageId, :explanationId, :model, CAST(:parameters AS jsonb), :maxAttempts)
                RETURNING id, state, last_error""").bind("kind", kind).bind("imageId", imageId)
                .bind("explanationId", explanationId).bind("model", modelSha256).bind("parameters", document)
                .bind("maxAttempts", maxAttempts).map(STATUS_ROW).one());
    }

    /**
     * Takes the oldest job for one of this worker's models that is queued or whose worker's lease ran out; empty when
     * there is none.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> claim(String worker, List<String> modelSha256s, Duration lease) {
        if (modelSha256s.isEmpty()) {
            return Optional.empty();
        }
        return jdbi.withHandle(handle -> {
            handle.createUpdate(EnumSql.with("""
                    UPDATE job SET state = :failed, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                           last_error = coalesce(last_error || '; ', '') || 'worker lost after ' || attempts || ' tries'
                    WHERE state = :running AND lease_expires_at < now() AND attempts >= max_attempts""",
                    JobState.FAILED, JobState.RUNNING)).execute();
            return handle.createQuery(EnumSql.with("""
                    UPDATE job SET state = :running, lease_owner = :worker, attempts = attempts + 1,
                           lease_expires_at = now() + make_interval(secs => :leaseSeconds),
                           started_at = coalesce(started_at, now()), phase = 'starting', progress = 0
                    WHERE id = (SELECT id FROM job
                                WHERE model_sha256 = ANY (:models) AND attempts < max_attempts
                                  AND (state = :queued OR (state = :running AND lease_expires_at < now()))
                                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id""", JobState.RUNNING, JobState.QUEUED)).bind("worker", worker)
                    .bind("leaseSeconds", seconds(lease)).bind("models", modelSha256s.toArray(String[]::new))
                    .mapTo(Long.class).findOne();
        });
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Work load(long jobId) {
        JobRow job = jdbi.withHandle(handle -> handle.createQuery("""
                SELECT kind, image_id, explanation_id, model_sha256, parameters::text AS parameters
                FROM job WHERE id = :id""").bind("id", jobId).map(JOB_ROW).findOne())
                .orElseThrow(() -> new IllegalStateException("job " + jobId + " is gone"));
        Photos.PhotoFacts photo = photos.facts(job.imageId()).orElse(null);
        byte[] bytes = photos.bytes(job.imageId()).orElse(null);
        if (photo == null || bytes == null) {
            throw new IllegalStateException("the photo of job " + jobId + " is gone");
        }
        return new Work(jobId, job.kind(), job.imageId(), job.explanationId(), photo.fileName(), photo.sha256(),
                bytes, job.modelSha256(), job.parameters());
    }

    /** Reports progress and renews the lease; false when the job is no longer this worker's (cancelled, or lost). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean heartbeat(long jobId, String worker, String phase, double progress, Duration lease) {
        return update(EnumSql.with("""
                UPDATE job SET phase = :phase, progress = :progress,
                       lease_expires_at = now() + make_interval(secs => :leaseSeconds)
                WHERE id = :id AND lease_owner = :worker AND state = :running""", JobState.RUNNING),
                "phase", phase, "progress", progress, "leaseSeconds", seconds(lease), "id", jobId,
                "worker", worker) == 1;
    }

    /** Renews the lease without reporting progress; false when the job is no longer this worker's. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean renew(long jobId, String worker, Duration lease) {
        return update(EnumSql.with("UPDATE job SET lease_expires_at = now() + make_interval(secs => :leaseSeconds) "
                + "WHERE id = :id AND lease_owner = :worker AND state = :running", JobState.RUNNING),
                "leaseSeconds", seconds(lease), "id", jobId, "worker", worker) == 1;
    }

    /**
     * Hands the result to the explanations store and closes the job, in one transaction; false (nothing stored) when
     * the lease was lost.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean complete(long jobId, String worker, Explanations.NewExplanation result) {
        if (!closeAsDone(jobId, worker)) {
            return false;
        }
        explanations.store(jobId, result);
        return true;
    }

    /** Marks the job done, recording who finished it; false when this worker no longer holds its lease. */
    private boolean closeAsDone(long jobId, String worker) {
        return update(EnumSql.with("""
                UPDATE job SET state = :done, phase = 'done', progress = 1, finished_at = now(), last_error = NULL,
                       finished_by = lease_owner, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = :id AND lease_owner = :worker AND state = :running""",
                    JobState.DONE, JobState.RUNNING), "id", jobId, "worker", worker) == 1;
    }

    /** Adds computed confidences to an explanation and closes the job; false when the lease was lost. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean completeConfidences(long jobId, String worker, long explanationId, Map<Long, Double> confidences) {
        if (!closeAsDone(jobId, worker)) {
            return false;
        }
        explanations.addConfidences(explanationId, confidences);
        return true;
    }

    /** Records a failure: back to the queue while tries remain, else failed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fail(long jobId, String worker, String error) {
        update(EnumSql.with("""
                UPDATE job SET state = CASE WHEN attempts < max_attempts THEN :queued ELSE :failed END,
                       finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
                       last_error = :error, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = :id AND lease_owner = :worker AND state = :running""",
                    JobState.QUEUED, JobState.FAILED, JobState.RUNNING),
                "error", error, "id", jobId, "worker", worker);
    }

    /** {@code retry} or {@code cancel} a job; 409 when its state does not allow that. */
    public void apply(long jobId, String action) {
        boolean retry = action.equals("retry");
        if (!(retry ? retry(jobId) : cancel(jobId))) {
            throw new Conflict("job " + jobId + (retry ? " is not failed or cancelled" : " is not queued or running")
                    + " (or does not exist)");
        }
    }

    /** A failed or cancelled job starts again with fresh tries. */
    @Transactional
    public boolean retry(long jobId) {
        return update(EnumSql.with("""
                UPDATE job SET state = :queued, attempts = 0, phase = NULL, progress = 0, last_error = NULL,
                       started_at = NULL, finished_at = NULL
                WHERE id = :id AND state IN (:failed, :cancelled)""",
                    JobState.QUEUED, JobState.CANCELLED, JobState.FAILED), "id", jobId) == 1;
    }

    /** A queued or running job stops; a running one at its next progress report. */
    @Transactional
    public boolean cancel(long jobId) {
        return update(EnumSql.with("""
                UPDATE job SET state = :cancelled, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
                WHERE id = :id AND state IN (:queued, :running)""",
                    JobState.CANCELLED, JobState.RUNNING, JobState.QUEUED), "id", jobId) == 1;
    }

    private int update(String sql, Object... namesAndValues) {
        return jdbi.withHandle(handle -> handle.createUpdate(sql).bindMap(NamedParameters.of(namesAndValues))
                .execute());
    }
}
