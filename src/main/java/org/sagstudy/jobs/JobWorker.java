package org.sagstudy.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
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
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.EvaluationStats;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.MaskedConfidence;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.StoredExplanation;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelClosedException;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.model.ModelService;
import org.sagstudy.model.TorchScriptClassifier;

/** Threads that take jobs from the queue and run the engine on them, for as long as the application runs. */
@ApplicationScoped
public class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    /** Rough share of an explanation's time per phase, for the progress bar. */
    private static final Map<String, Double> PHASE_WEIGHTS = Map.of("predict", 0.01, "igosRanking", 0.14,
            "search", 0.3, "diverseRoots", 0.01, "sag", 0.04, "gradCam", 0.01, "igosHeatMap", 0.49);
    /** Progress within a phase is written at most this often (every finished phase is written). */
    private static final long PROGRESS_EVERY_MS = 1000;

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
    private final JobMetrics metrics;
    private final List<Thread> threads = new ArrayList<>();
    /** Renews the leases of running jobs between progress reports (a phase can outlast a lease). */
    private final ScheduledExecutorService leaseKeeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sag-lease-keeper");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;
    /** Set by {@link #stop()}: a job failing from then on was interrupted by the shutdown. */
    private volatile boolean stopping;
    /** Several photos at once: their masked images go through the model together. */
    private volatile boolean sharedPasses;
    /** What was last logged about models that cannot be opened: each problem is logged once, not every poll. */
    private String reportedProblems = "";

    public JobWorker(JobQueue queue, ModelService models, WorkerConfig config, ObjectMapper json,
            JobMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
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
        int concurrent = config.concurrentImages().orElse(models.defaultConcurrentImages());
        sharedPasses = concurrent > 1;
        for (int i = 0; i < concurrent; i++) {
            String id = process + "/worker-" + i;
            Thread thread = new Thread(() -> loop(id), "sag-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("%d explanation worker(s) started%s", concurrent, sharedPasses ? ", sharing the model's passes" : "");
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        stopping = true;
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
                Optional<Long> job = queue.claim(worker, modelsReady(), config.lease());
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

    /**
     * The hashes of the models that open now. A model that does not (a folder not yet written, say) is logged once
     * with what to do, shown on the admin pages, and tried again quietly at every poll.
     */
    private List<String> modelsReady() {
        List<ModelRegistry.Configured> configured = models.configured();
        String problems = configured.stream().filter(c -> c.folder().isEmpty())
                .map(c -> c.source() + ": " + c.problem()).collect(java.util.stream.Collectors.joining("; "));
        synchronized (this) {
            if (!problems.equals(reportedProblems)) {
                if (problems.isEmpty()) {
                    LOG.info("every configured model opens now");
                } else {
                    LOG.warnf("cannot explain with %s. Configure a model folder (sag.model.dir, SAG_MODEL_DIR) or "
                            + "make one: scripts/models/resnet50.sh DIR. Checked again quietly.", problems);
                }
                reportedProblems = problems;
            }
        }
        return configured.stream().flatMap(c -> c.folder().stream()).map(ModelFolder::sha256).toList();
    }

    /** Runs one job; visible for tests, which drive the queue by hand. */
    void run(long jobId, String worker) {
        AtomicBoolean lost = new AtomicBoolean();
        ScheduledFuture<?> keeper = keepLease(jobId, worker, lost);
        try {
            JobQueue.Work work = queue.load(jobId);
            TorchScriptClassifier classifier = models.classifier(work.modelSha256());
            ImageTensor image = ImagePreparation.resized(work.bytes(), ImageDecoder.withDefaultLimits(),
                    classifier.inputSize()).toTensor();
            if (work.kind() == JobKind.CONFIDENCES) {
                computeConfidences(work, classifier, image, worker);
                return;
            }
            explain(work, classifier, image, worker, lost);
        } catch (JobLostException e) {
            LOG.infof("job %d: cancelled or taken over; stopped", jobId);
        } catch (Exception | Error e) {
            if (ModelClosedException.among(e)) {
                // the model closes in a shutdown hook, which may run before this worker hears of the shutdown
                running = false;
                stopping = true;
            }
            if (stopping) {
                // shutting down interrupted it: not the job's fault; another worker takes it when the lease runs out
                LOG.infof("job %d: stopped by shutdown", jobId);
                return;
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warnf("job %d failed: %s", jobId, message);
            queue.fail(jobId, worker, message);
            metrics.finished("failed");
        } finally {
            keeper.cancel(false);
        }
    }

    /** Renews the lease a third of the way through it, until cancelled; {@code lost} is set when it cannot. */
    private ScheduledFuture<?> keepLease(long jobId, String worker, AtomicBoolean lost) {
        long every = Math.max(1, config.lease().toMillis() / 3);
        return leaseKeeper.scheduleAtFixedRate(() -> {
            try {
                if (!lost.get() && !queue.renew(jobId, worker, config.lease())) {
                    lost.set(true);
                }
            } catch (RuntimeException e) {
                // the database is away for a moment: try again at the next beat (a task that throws is never rerun)
                LOG.debugf("job %d: lease not renewed: %s", jobId, e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Runs the engine on the photo and hands the explanation to the queue, which stores it while the lease holds. */
    private void explain(JobQueue.Work work, TorchScriptClassifier classifier, ImageTensor image, String worker,
            AtomicBoolean lost) throws java.io.IOException, ModelFolder.InvalidModelException {
        long jobId = work.jobId();
        ExplainParameters parameters = json.readValue(work.parameters(), JobParameters.class).toExplainParameters();
        Explainer explainer = new Explainer(sharedPasses ? models.shared(work.modelSha256()) : classifier,
                parameters);
        long started = System.nanoTime();
        Explanation explanation = explainer.explain(image, null, new JobProgress(jobId, worker, lost));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        metrics.explained(explanation, took);
        int index = explanation.prediction().classIndex();
        String document = json.writeValueAsString(StoredExplanation.of(work.fileName(), work.imageSha256(),
                classifier.folder(), classifier.device().toString(), parameters, explanation, explainer.grid()));
        Explanations.NewExplanation result = new Explanations.NewExplanation(work.imageId(), work.modelSha256(),
                index, classifier.folder().labels().get(index), explanation.prediction().probability(), document,
                explanation.evaluated());
        if (queue.complete(jobId, worker, result)) {
            metrics.finished("done");
            LOG.infof("job %d: %s explained by %s in %d s: %s, p = %.2f", jobId, work.fileName(),
                    classifier.folder().name(), took.toSeconds(), result.predictedLabel(), result.pFull());
        } else {
            LOG.infof("job %d: lease lost before storing; another worker has it", jobId);
        }
    }

    /** The confidences a study asked for (its random options), masked as the explanation was. */
    private void computeConfidences(JobQueue.Work work, TorchScriptClassifier classifier, ImageTensor image,
            String worker) throws java.io.IOException, ModelFolder.InvalidModelException {
        ConfidenceRequest request = json.readValue(work.parameters(), ConfidenceRequest.class);
        ExplainParameters parameters = ExplainParameters.PAPER.withBaseline(Baseline.parse(request.baseline()));
        MaskedConfidence f = new Explainer(sharedPasses ? models.shared(work.modelSha256()) : classifier, parameters)
                .confidenceFor(image, new EvaluationStats());
        f.confidences(request.sets().stream().map(PatchSet::new).toList());
        if (!queue.completeConfidences(work.jobId(), worker, work.explanationId(), f.evaluated())) {
            LOG.infof("job %d: lease lost before storing; another worker has it", work.jobId());
        }
    }

    /** A job's progress bar: finished phases by their weight, plus the part of the running phase already done. */
    private final class JobProgress implements Explainer.ProgressListener {
        private final long jobId;
        private final String worker;
        private final AtomicBoolean lost;
        private double finished;
        private long writtenAt;

        JobProgress(long jobId, String worker, AtomicBoolean lost) {
            this.jobId = jobId;
            this.worker = worker;
            this.lost = lost;
        }

        @Override
        public void finished(String phase) {
            finished += PHASE_WEIGHTS.getOrDefault(phase, 0.0);
            report(phase, finished);
        }

        @Override
        public void within(String phase, double fraction) {
            if (System.currentTimeMillis() - writtenAt >= PROGRESS_EVERY_MS) {
                report(phase, finished + fraction * PHASE_WEIGHTS.getOrDefault(phase, 0.0));
            }
        }

        private void report(String phase, double progress) {
            writtenAt = System.currentTimeMillis();
            boolean held;
            try {
                held = !lost.get() && queue.heartbeat(jobId, worker, phase, Math.min(0.99, progress), config.lease());
            } catch (RuntimeException e) {
                // a progress report is not worth the job: skip it while the database is away (the lease keeper
                // tells when the job is really lost)
                LOG.debugf("job %d: progress not written: %s", jobId, e.getMessage());
                held = !lost.get();
            }
            if (!held) {
                throw new JobLostException();
            }
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
