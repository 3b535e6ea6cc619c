package org.sagstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.junit.jupiter.api.Test;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.images.ImageLibrary;
import org.sagstudy.images.UploadCheck;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.testing.SharedData;

/** The queue driven by hand (no background workers): leases, expiry, retries, cancellation. */
@QuarkusTest
@TestProfile(JobQueueTest.NoWorkers.class)
class JobQueueTest {

    public static class NoWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sag.worker.enabled", "false");
        }
    }

    @Inject
    JobQueue queue;

    @Inject
    JobWorker worker;

    @Inject
    ImageLibrary library;

    @Inject
    UploadCheck check;

    @Inject
    ModelRegistry models;

    @Inject
    DataSource dataSource;

    private String model() {
        try {
            return models.folder().sha256();
        } catch (org.sagstudy.model.ModelFolder.InvalidModelException e) {
            throw new IllegalStateException(e);
        }
    }

    @Inject
    Jdbi jdbi;

    /** What the tests check of a job's row. */
    record JobRow(JobState state, int attempts, int maxAttempts, long imageId, String modelSha256, String lastError) {
    }

    JobRow job(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT state, attempts, max_attempts, image_id, model_sha256, last_error FROM job WHERE id = :id""")
                .bind("id", id).map(ConstructorMapper.of(JobRow.class)).one());
    }

    long explanationsOf(long jobId) throws SQLException {
        return explanationIds(jobId).size();
    }

    /** Read straight from the table: the test checks what was stored, whoever stored it. */
    private List<Long> explanationIds(long jobId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("SELECT id FROM explanation WHERE job_id = ?")) {
            query.setLong(1, jobId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    ids.add(row.getLong("id"));
                }
            }
        }
        return ids;
    }

    private long queueJob(String photo) throws Exception {
        byte[] bytes = Files.readAllBytes(SharedData.image(photo));
        UploadCheck.Accepted file = check.check(SharedData.image(photo).getFileName().toString(), bytes).accepted()
                .get(0);
        return library.store(file).job().id();
    }

    private void drain() {
        while (queue.claim("drain", List.of(model()), Duration.ofHours(1)).map(id -> queue.cancel(id)).orElse(false)) {
            // cancel whatever earlier tests left queued
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheResultStoredOnce() throws Exception {
        drain();
        long id = queueJob("imagenet-dev/n02391049_zebra.JPEG");
        assertEquals(Optional.of(id), queue.claim("crashed-worker", List.of(model()), Duration.ofMillis(1)));
        Thread.sleep(20); // the crashed worker never reports again: its lease runs out

        assertEquals(Optional.of(id), queue.claim("second-worker", List.of(model()), Duration.ofMinutes(5)));
        assertEquals(Optional.empty(), queue.claim("third-worker", List.of(model()), Duration.ofMinutes(5)), "held: not offered again");
        worker.run(id, "second-worker");

        JobRow done = job(id);
        assertEquals(JobState.DONE, done.state());
        assertEquals(2, done.attempts());
        assertEquals(1, explanationsOf(id));
        assertFalse(queue.heartbeat(id, "crashed-worker", "search", 0.5, Duration.ofMinutes(1)));
        assertFalse(queue.complete(id, "crashed-worker", new Explanations.NewExplanation(done.imageId(), done.modelSha256(), 0, "x",
                0.5, "{}", Map.of())), "a late worker stores nothing");
        assertEquals(1, explanationsOf(id));
        assertEquals(Optional.empty(), queue.claim("third-worker", List.of(model()), Duration.ofMinutes(5)));
    }

    @Test
    void aWorkerTakesOnlyJobsForItsModel() throws Exception {
        drain();
        long id = queueJob("imagenet-dev/n01601694_water_ouzel.JPEG");
        assertEquals(Optional.empty(), queue.claim("other-model-worker", List.of("0".repeat(64)), Duration.ofMinutes(1)));
        assertEquals(Optional.of(id), queue.claim("w", List.of(model()), Duration.ofMinutes(1)));
        assertTrue(queue.renew(id, "w", Duration.ofMinutes(1)));
        assertFalse(queue.renew(id, "someone-else", Duration.ofMinutes(1)));
        queue.cancel(id);
    }

    @Test
    void failuresAreRetriedUpToTheLimitThenCanBeRetriedByHand() throws Exception {
        drain();
        long id = queueJob("imagenet-dev/n01440764_tench.JPEG");
        int limit = job(id).maxAttempts();
        for (int attempt = 1; attempt <= limit; attempt++) {
            assertEquals(Optional.of(id), queue.claim("w", List.of(model()), Duration.ofMinutes(1)));
            queue.fail(id, "w", "simulated failure " + attempt);
        }
        JobRow failed = job(id);
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("simulated failure " + limit, failed.lastError());
        assertEquals(Optional.empty(), queue.claim("w", List.of(model()), Duration.ofMinutes(1)));

        assertTrue(queue.retry(id));
        assertEquals(JobState.QUEUED, job(id).state());
        assertEquals(Optional.of(id), queue.claim("w", List.of(model()), Duration.ofMinutes(1)));
        assertTrue(queue.cancel(id));
        assertFalse(queue.heartbeat(id, "w", "search", 0.2, Duration.ofMinutes(1)), "a cancelled job stops");
        assertEquals(JobState.CANCELLED, job(id).state());
        assertFalse(queue.cancel(id));
    }

    long explanationOf(long jobId) throws SQLException {
        return explanationIds(jobId).get(0);
    }

    @Test
    void confidencesAskedForAtTheSameMomentAreQueuedOnce() throws Exception {
        drain();
        long explainJob = queueJob("imagenet-dev/n01682714_American_chameleon.JPEG");
        long image = job(explainJob).imageId();
        assertEquals(Optional.of(explainJob), queue.claim("w", List.of(model()), Duration.ofMinutes(1)));
        assertTrue(queue.complete(explainJob, "w", new Explanations.NewExplanation(image, model(), 0, "x", 0.5, "{}", Map.of())));
        long explanation = explanationOf(explainJob);
        ConfidenceRequest request = new ConfidenceRequest("black", List.of(3L, 5L));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> asked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                asked.add(pool.submit(() -> queue.enqueueConfidences(image, explanation, model(), request, 3).id()));
            }
            Set<Long> jobs = new HashSet<>();
            for (Future<Long> job : asked) {
                jobs.add(job.get());
            }
            assertEquals(1, jobs.size(), "one job for eight requests: " + jobs);
            assertTrue(queue.cancel(jobs.iterator().next()));
        } finally {
            pool.shutdown();
        }
    }
}
