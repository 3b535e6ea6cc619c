package org.sagstudy.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.model.TorchScriptClassifier;
import org.sagstudy.explanations.StoredExplanation;
import org.sagstudy.model.ModelService;

/** Threads that take jobs from the queue and run the engine on them, for as long as the application runs. */
@ApplicationScoped
public class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    /** Rough share of an explanation's time per phase, for the progress bar. */
    private static final Map<String, Double> PHASE_WEIGHTS = Map.of("predict", 0.01, "igosRanking", 0.14,
            "search", 0.3, "diverseRoots", 0.01, "sag", 0.04, "gradCam", 0.01, "igosHeatMap", 0.49);

    /** The job was cancelled or its lease went to another worker: stop without storing anything. */
    static final class JobLostException extends RuntimeException {
        JobLostException() {
            super("job no longer held by this worker", null, false, false);
        }
    }

    private final JobQueue queue;
    private final ModelService models;
    private final WorkerConfig config;
    private final ObjectMapper json;
    private final List<Thread> threads = new ArrayList<>();
    /** Renews the leases of running jobs between progress reports (a phase can outlast a lease). */
    private final ScheduledExecutorService leaseKeeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sag-lease-keeper");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;

    public JobWorker(JobQueue queue, ModelService models, WorkerConfig config, ObjectMapper json) {
        this.queue = queue;
        this.models = models;
        this.config = config;
        this.json = json;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        running = true;
        String process = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString()
                .substring(0, 8);
        for (int i = 0; i < config.threads(); i++) {
            String id = process + "/worker-" + i;
            Thread thread = new Thread(() -> loop(id), "sag-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("%d explanation worker(s) started", config.threads());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        leaseKeeper.shutdownNow();
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop(String worker) {
        while (running) {
            try {
                Optional<Long> job = queue.claim(worker, models.sha256(), config.lease());
                if (job.isPresent()) {
                    run(job.get(), worker);
                } else {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception | Error e) {
                // an Error (e.g. out of memory) must not end the thread silently; its job is failed in run()
                if (!running) {
                    return;
                }
                LOG.warnf("worker %s: %s", worker, e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** Runs one job; visible for tests, which drive the queue by hand. */
    void run(long jobId, String worker) {
        AtomicBoolean lost = new AtomicBoolean();
        long every = Math.max(1, config.lease().toMillis() / 3);
        ScheduledFuture<?> keeper = leaseKeeper.scheduleAtFixedRate(() -> {
            if (!lost.get() && !queue.renew(jobId, worker, config.lease())) {
                lost.set(true);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            JobQueue.Work work = queue.load(jobId);
            TorchScriptClassifier classifier = models.classifier();
            if (!classifier.folder().sha256().equals(work.modelSha256())) {
                throw new IllegalStateException("job wants model " + work.modelSha256() + " but this worker has "
                        + classifier.folder().sha256());
            }
            ExplainParameters parameters = json.readValue(work.parameters(), JobParameters.class)
                    .toExplainParameters();
            ImageTensor image = ImagePreparation.resized(work.bytes(), ImageDecoder.withDefaultLimits(),
                    classifier.inputSize()).toTensor();
            Explainer explainer = new Explainer(classifier, parameters);
            double[] done = {0};
            Explanation explanation = explainer.explain(image, null, phase -> {
                done[0] += PHASE_WEIGHTS.getOrDefault(phase, 0.0);
                if (lost.get() || !queue.heartbeat(jobId, worker, phase, Math.min(0.99, done[0]), config.lease())) {
                    throw new JobLostException();
                }
            });
            int index = explanation.prediction().classIndex();
            String document = json.writeValueAsString(StoredExplanation.of(work.fileName(), work.imageSha256(),
                    classifier.folder(), classifier.device().toString(), parameters, explanation, explainer.grid()));
            JobQueue.Result result = new JobQueue.Result(work.imageId(), work.modelSha256(), index,
                    classifier.folder().labels().get(index), explanation.prediction().probability(), document,
                    explanation.evaluated());
            if (!queue.complete(jobId, worker, result)) {
                LOG.infof("job %d: lease lost before storing; another worker has it", jobId);
            }
        } catch (JobLostException e) {
            LOG.infof("job %d: cancelled or taken over; stopped", jobId);
        } catch (Exception | Error e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warnf("job %d failed: %s", jobId, message);
            queue.fail(jobId, worker, message);
        } finally {
            keeper.cancel(false);
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
