package org.sagstudy.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.sagstudy.database.EnumSql;
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

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Photos photos;
    private final Explanations explanations;

    public JobQueue(DataSource dataSource, ObjectMapper json, Photos photos, Explanations explanations) {
        this.dataSource = dataSource;
        this.json = json;
        this.photos = photos;
        this.explanations = explanations;
    }

    @Transactional
    public JobStatus enqueue(long imageId, String modelSha256, JobParameters parameters, int maxAttempts) {
        return JobStatus.of(persist(JobKind.EXPLAIN, imageId, null, modelSha256, parameters, maxAttempts));
    }

    /** The newest explanation job of a photo by a model, in any state. */
    @Transactional
    public Optional<JobStatus> latestExplanation(long imageId, String modelSha256) {
        return JobEntity.<JobEntity>find("imageId = ?1 and modelSha256 = ?2 and kind = ?3 order by id desc", imageId,
                modelSha256, JobKind.EXPLAIN).firstResultOptional().map(JobStatus::of);
    }

    /** The newest explanation job of a photo by a model that is queued, running or done (not failed, cancelled). */
    @Transactional
    public Optional<JobStatus> liveExplanation(long imageId, String modelSha256) {
        return JobEntity.<JobEntity>find("imageId = ?1 and modelSha256 = ?2 and kind = ?3 and state in ?4 "
                + "order by id desc", imageId, modelSha256, JobKind.EXPLAIN,
                List.of(JobState.QUEUED, JobState.RUNNING, JobState.DONE)).firstResultOptional().map(JobStatus::of);
    }

    /** Jobs of a model still queued or running. */
    @Transactional
    public long unfinished(String modelSha256) {
        return JobEntity.count("modelSha256 = ?1 and state in ?2", modelSha256,
                List.of(JobState.QUEUED, JobState.RUNNING));
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
        JobEntity.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "confidences:" + explanationId).getSingleResult();
        return JobEntity.<JobEntity>find("kind = ?1 and explanationId = ?2 and state in (?3, ?4) order by id desc",
                JobKind.CONFIDENCES, explanationId, JobState.QUEUED, JobState.RUNNING).firstResultOptional()
                .map(JobStatus::of).orElseGet(() -> JobStatus.of(persist(JobKind.CONFIDENCES, imageId,
                        explanationId, modelSha256, request, maxAttempts)));
    }

    /** The newest confidences job of an explanation, if any. */
    @Transactional
    public Optional<JobStatus> latestConfidences(long explanationId) {
        return JobEntity.<JobEntity>find("kind = ?1 and explanationId = ?2 order by id desc", JobKind.CONFIDENCES,
                explanationId).firstResultOptional().map(JobStatus::of);
    }

    private JobEntity persist(JobKind kind, long imageId, Long explanationId, String modelSha256, Object parameters,
            int maxAttempts) {
        JobEntity job = new JobEntity();
        job.kind = kind;
        job.imageId = imageId;
        job.explanationId = explanationId;
        job.modelSha256 = modelSha256;
        try {
            job.parameters = json.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        job.maxAttempts = maxAttempts;
        job.persist();
        return job;
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
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement giveUp = c.prepareStatement(EnumSql.with("""
                    UPDATE job SET state = :failed, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                           last_error = coalesce(last_error || '; ', '') || 'worker lost after ' || attempts || ' tries'
                    WHERE state = :running AND lease_expires_at < now() AND attempts >= max_attempts""",
                        JobState.FAILED, JobState.RUNNING))) {
                giveUp.executeUpdate();
            }
            try (PreparedStatement take = c.prepareStatement(EnumSql.with("""
                    UPDATE job SET state = :running, lease_owner = ?, attempts = attempts + 1,
                           lease_expires_at = now() + make_interval(secs => ?), started_at = coalesce(started_at, now()),
                           phase = 'starting', progress = 0
                    WHERE id = (SELECT id FROM job
                                WHERE model_sha256 = ANY (?) AND attempts < max_attempts
                                  AND (state = :queued OR (state = :running AND lease_expires_at < now()))
                                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id""", JobState.RUNNING, JobState.QUEUED))) {
                take.setString(1, worker);
                take.setDouble(2, lease.toMillis() / 1000.0);
                take.setArray(3, c.createArrayOf("text", modelSha256s.toArray()));
                try (ResultSet rows = take.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getLong("id")) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take a job: " + e.getMessage(), e);
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Work load(long jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement("""
                SELECT kind, image_id, explanation_id, model_sha256, parameters::text AS parameters
                FROM job WHERE id = ?""")) {
            select.setLong(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("job " + jobId + " is gone");
                }
                long imageId = row.getLong("image_id");
                Photos.PhotoFacts photo = photos.facts(imageId).orElse(null);
                byte[] bytes = photos.bytes(imageId).orElse(null);
                if (photo == null || bytes == null) {
                    throw new IllegalStateException("the photo of job " + jobId + " is gone");
                }
                return new Work(jobId, JobKind.byKey(row.getString("kind")), imageId,
                        row.getObject("explanation_id", Long.class), photo.fileName(), photo.sha256(), bytes,
                        row.getString("model_sha256"), row.getString("parameters"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** Reports progress and renews the lease; false when the job is no longer this worker's (cancelled, or lost). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean heartbeat(long jobId, String worker, String phase, double progress, Duration lease) {
        return update(EnumSql.with("""
                UPDATE job SET phase = ?, progress = ?, lease_expires_at = now() + make_interval(secs => ?)
                WHERE id = ? AND lease_owner = ? AND state = :running""", JobState.RUNNING),
                phase, progress, lease.toMillis() / 1000.0, jobId, worker) == 1;
    }

    /** Renews the lease without reporting progress; false when the job is no longer this worker's. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean renew(long jobId, String worker, Duration lease) {
        return update(EnumSql.with("UPDATE job SET lease_expires_at = now() + make_interval(secs => ?) "
                + "WHERE id = ? AND lease_owner = ? AND state = :running", JobState.RUNNING),
                lease.toMillis() / 1000.0, jobId, worker) == 1;
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
                WHERE id = ? AND lease_owner = ? AND state = :running""",
                    JobState.DONE, JobState.RUNNING), jobId, worker) == 1;
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
                       last_error = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND lease_owner = ? AND state = :running""",
                    JobState.QUEUED, JobState.FAILED, JobState.RUNNING), error, jobId, worker);
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
                WHERE id = ? AND state IN (:failed, :cancelled)""",
                    JobState.QUEUED, JobState.CANCELLED, JobState.FAILED), jobId) == 1;
    }

    /** A queued or running job stops; a running one at its next progress report. */
    @Transactional
    public boolean cancel(long jobId) {
        return update(EnumSql.with("""
                UPDATE job SET state = :cancelled, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND state IN (:queued, :running)""",
                    JobState.CANCELLED, JobState.RUNNING, JobState.QUEUED), jobId) == 1;
    }

    private int update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("job queue: " + e.getMessage(), e);
        }
    }
}
