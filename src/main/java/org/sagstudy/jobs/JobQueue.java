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

    /** A finished explanation to store with its job. */
    public record Result(long imageId, String modelSha256, int predictedIndex, String predictedLabel, double pFull,
            String document, Map<Long, Double> confidences) {
    }

    private final DataSource dataSource;
    private final ObjectMapper json;

    public JobQueue(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Transactional
    public JobEntity enqueue(long imageId, String modelSha256, JobParameters parameters, int maxAttempts) {
        return persist(JobKind.EXPLAIN, imageId, null, modelSha256, parameters, maxAttempts);
    }

    /**
     * The job that computes these confidences for an explanation: the one already waiting or running for it, else a
     * new one (so that viewing a study again does not queue its work twice). Committed on its own: a study that
     * cannot open yet (because this work is pending) rolls its own change back, and the work must stay queued.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public JobEntity enqueueConfidences(long imageId, long explanationId, String modelSha256,
            ConfidenceRequest request, int maxAttempts) {
        // two processes (or two pages) asking at the same moment wait here instead of both queueing the work
        JobEntity.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "confidences:" + explanationId).getSingleResult();
        return JobEntity.<JobEntity>find("kind = ?1 and explanationId = ?2 and state in (?3, ?4) order by id desc",
                JobKind.CONFIDENCES, explanationId, JobState.QUEUED, JobState.RUNNING).firstResultOptional()
                .orElseGet(() -> persist(JobKind.CONFIDENCES, imageId, explanationId, modelSha256, request,
                        maxAttempts));
    }

    /** The newest confidences job of an explanation, if any. */
    @Transactional
    public Optional<JobEntity> latestConfidences(long explanationId) {
        return JobEntity.<JobEntity>find("kind = ?1 and explanationId = ?2 order by id desc", JobKind.CONFIDENCES,
                explanationId).firstResultOptional();
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
            try (PreparedStatement giveUp = c.prepareStatement("""
                    UPDATE job SET state = 'failed', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                           last_error = coalesce(last_error || '; ', '') || 'worker lost after ' || attempts || ' tries'
                    WHERE state = 'running' AND lease_expires_at < now() AND attempts >= max_attempts""")) {
                giveUp.executeUpdate();
            }
            try (PreparedStatement take = c.prepareStatement("""
                    UPDATE job SET state = 'running', lease_owner = ?, attempts = attempts + 1,
                           lease_expires_at = now() + make_interval(secs => ?), started_at = coalesce(started_at, now()),
                           phase = 'starting', progress = 0
                    WHERE id = (SELECT id FROM job
                                WHERE model_sha256 = ANY (?) AND attempts < max_attempts
                                  AND (state = 'queued' OR (state = 'running' AND lease_expires_at < now()))
                                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id""")) {
                take.setString(1, worker);
                take.setDouble(2, lease.toMillis() / 1000.0);
                take.setArray(3, c.createArrayOf("text", modelSha256s.toArray()));
                try (ResultSet rows = take.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take a job: " + e.getMessage(), e);
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Work load(long jobId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        SELECT j.kind, j.image_id, j.explanation_id, i.file_name, i.sha256, i.bytes, j.model_sha256,
                               j.parameters::text
                        FROM job j JOIN image i ON i.id = j.image_id WHERE j.id = ?""")) {
            select.setLong(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("job " + jobId + " is gone");
                }
                return new Work(jobId, JobKind.byKey(row.getString(1)), row.getLong(2),
                        row.getObject(3, Long.class), row.getString(4), row.getString(5), row.getBytes(6),
                        row.getString(7), row.getString(8));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** Reports progress and renews the lease; false when the job is no longer this worker's (cancelled, or lost). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean heartbeat(long jobId, String worker, String phase, double progress, Duration lease) {
        return update("""
                UPDATE job SET phase = ?, progress = ?, lease_expires_at = now() + make_interval(secs => ?)
                WHERE id = ? AND lease_owner = ? AND state = 'running'""",
                phase, progress, lease.toMillis() / 1000.0, jobId, worker) == 1;
    }

    /** Renews the lease without reporting progress; false when the job is no longer this worker's. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean renew(long jobId, String worker, Duration lease) {
        return update("UPDATE job SET lease_expires_at = now() + make_interval(secs => ?) "
                + "WHERE id = ? AND lease_owner = ? AND state = 'running'", lease.toMillis() / 1000.0, jobId,
                worker) == 1;
    }

    /** Stores the result and closes the job in one transaction; false (nothing stored) when the lease was lost. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean complete(long jobId, String worker, Result result) {
        if (!closeAsDone(jobId, worker)) {
            return false;
        }
        try (Connection c = dataSource.getConnection()) {
            long explanationId;
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO explanation (job_id, image_id, model_sha256, predicted_index, predicted_label, p_full,
                                             document)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id""")) {
                insert.setLong(1, jobId);
                insert.setLong(2, result.imageId());
                insert.setString(3, result.modelSha256());
                insert.setInt(4, result.predictedIndex());
                insert.setString(5, result.predictedLabel());
                insert.setDouble(6, result.pFull());
                insert.setString(7, result.document());
                try (ResultSet id = insert.executeQuery()) {
                    id.next();
                    explanationId = id.getLong(1);
                }
            }
            insertConfidences(c, explanationId, result.confidences());
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the result of job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** Marks the job done, recording who finished it; false when this worker no longer holds its lease. */
    private boolean closeAsDone(long jobId, String worker) {
        return update("""
                UPDATE job SET state = 'done', phase = 'done', progress = 1, finished_at = now(), last_error = NULL,
                       finished_by = lease_owner, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND lease_owner = ? AND state = 'running'""", jobId, worker) == 1;
    }

    /** Adds computed confidences to an explanation and closes the job; false when the lease was lost. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean completeConfidences(long jobId, String worker, long explanationId, Map<Long, Double> confidences) {
        if (!closeAsDone(jobId, worker)) {
            return false;
        }
        try (Connection c = dataSource.getConnection()) {
            insertConfidences(c, explanationId, confidences);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the confidences of job " + jobId + ": " + e.getMessage(),
                    e);
        }
    }

    private static void insertConfidences(Connection c, long explanationId, Map<Long, Double> confidences)
            throws SQLException {
        try (PreparedStatement values = c.prepareStatement("""
                INSERT INTO masked_confidence (explanation_id, patches, confidence) VALUES (?, ?, ?)
                ON CONFLICT (explanation_id, patches) DO NOTHING""")) {
            for (Map.Entry<Long, Double> entry : confidences.entrySet()) {
                values.setLong(1, explanationId);
                values.setLong(2, entry.getKey());
                values.setDouble(3, entry.getValue());
                values.addBatch();
            }
            values.executeBatch();
        }
    }

    /** Records a failure: back to the queue while tries remain, else failed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fail(long jobId, String worker, String error) {
        update("""
                UPDATE job SET state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                       finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
                       last_error = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND lease_owner = ? AND state = 'running'""", error, jobId, worker);
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
        return update("""
                UPDATE job SET state = 'queued', attempts = 0, phase = NULL, progress = 0, last_error = NULL,
                       started_at = NULL, finished_at = NULL
                WHERE id = ? AND state IN ('failed', 'cancelled')""", jobId) == 1;
    }

    /** A queued or running job stops; a running one at its next progress report. */
    @Transactional
    public boolean cancel(long jobId) {
        return update("""
                UPDATE job SET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND state IN ('queued', 'running')""", jobId) == 1;
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
