package org.sagstudy.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.sagstudy.explain.EvaluationStats;
import org.sagstudy.explain.Explanation;

/**
 * What an operator watches of the precompute (Prometheus names): {@code sag_jobs_queue{state}} (jobs per state, read
 * from the database every few seconds, so every process reports the shared queue), {@code sag_jobs_finished_total
 * {outcome}}, {@code sag_job_seconds} and {@code sag_job_phase_seconds{phase}}, and the model's work:
 * {@code sag_forward_passes_total}, {@code sag_forward_batches_total} (their ratio is the mean batch size) and
 * {@code sag_gradient_passes_total}.
 */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry registry;
    private final Jdbi jdbi;
    private final Map<JobState, AtomicLong> depth = new EnumMap<>(JobState.class);

    public JobMetrics(MeterRegistry registry, Jdbi jdbi) {
        this.registry = registry;
        this.jdbi = jdbi;
        for (JobState state : JobState.values()) {
            AtomicLong jobs = new AtomicLong();
            depth.put(state, jobs);
            Gauge.builder("sag.jobs.queue", jobs, AtomicLong::get).tag("state", state.key())
                    .description("jobs in the shared queue by state").register(registry);
        }
    }

    @Scheduled(every = "${sag.metrics.queue-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void readQueue() {
        Map<JobState, Long> counts;
        try {
            counts = jdbi.withHandle(handle -> handle.createQuery("SELECT state, count(*) AS jobs FROM job GROUP BY state")
                    .map((row, context) -> Map.entry(JobState.byKey(row.getString("state")), row.getLong("jobs")))
                    .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
        } catch (JdbiException e) {
            // the gauges keep their last values while the database is away
            return;
        }
        depth.forEach((state, jobs) -> jobs.set(counts.getOrDefault(state, 0L)));
    }

    void finished(String outcome) {
        registry.counter("sag.jobs.finished", "outcome", outcome).increment();
    }

    void explained(Explanation explanation, Duration took) {
        Timer.builder("sag.job.seconds").description("wall time of an explanation job").register(registry)
                .record(took);
        explanation.millis().forEach((phase, millis) -> Timer.builder("sag.job.phase.seconds").tag("phase", phase)
                .register(registry).record(Duration.ofMillis(millis)));
        EvaluationStats.Snapshot stats = explanation.stats();
        registry.counter("sag.forward.passes").increment(stats.forwardPasses());
        registry.counter("sag.forward.batches").increment(stats.batches());
        registry.counter("sag.gradient.passes").increment(stats.gradientPasses());
    }
}
