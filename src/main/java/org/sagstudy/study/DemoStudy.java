package org.sagstudy.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.images.DemoImages;
import org.sagstudy.images.ImageStore;
import org.sagstudy.jobs.JobQueue;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.problem.DomainException;

/**
 * With the demo photos (after {@link DemoImages} loaded them into an empty library), an open study of them once the
 * default model has explained them: the confident, rightly classified photos for the trials (the paper's peacocks
 * and school buses when the demo photos are the paper's examples), the least confident of them for practice.
 */
@ApplicationScoped
public class DemoStudy {

    private static final Logger LOG = Logger.getLogger(DemoStudy.class);
    private static final List<String> PAPER_TRIALS = List.of("peacock_n01806143_225.JPEG",
            "peacock_n01806143_4756.JPEG", "schoolbus_13135277_620711e6c0.jpg", "schoolbus_24219078_bc73b703fe.jpg",
            "schoolbus_8228523_8eb89886be.jpg");
    private static final String PAPER_PRACTICE = "racecar_n04037443_15839.JPEG";
    /** The demo keeps photos the model is at least this sure of (the paper's studies: 0.8; demo photos vary). */
    private static final double DEMO_MIN_P_FULL = 0.5;

    private final DemoImages.Config config;
    private final StudyLifecycle lifecycle;
    private final StudyDesignJson designs;
    private final ObjectMapper json;
    private final Explanations explanations;
    private final ModelRegistry models;
    private final ImageStore photos;
    private final JobQueue queue;
    private final StudyStore studies;
    private volatile boolean pending;
    private int reportedExplained = -1;
    /** The demo draft while it waits for its random options' confidences (a worker computes them too). */
    private Long draft;

    public DemoStudy(DemoImages.Config config, StudyLifecycle lifecycle, StudyDesignJson designs, ObjectMapper json,
            Explanations explanations, ModelRegistry models, ImageStore photos, JobQueue queue,
            StudyStore studies) {
        this.studies = studies;
        this.config = config;
        this.photos = photos;
        this.queue = queue;
        this.lifecycle = lifecycle;
        this.designs = designs;
        this.json = json;
        this.explanations = explanations;
        this.models = models;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        pending = config.enabled() && studies.count() == 0 && photos.count() > 0;
    }

    /** Once no demo photo waits for its explanation: the study, opened. */
    @Scheduled(every = "${sag.demo.check-every:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void createWhenExplained() {
        if (draft != null) {
            openDraft();
            return;
        }
        if (!pending) {
            return;
        }
        String modelSha256;
        try {
            modelSha256 = models.folder().sha256();
        } catch (ModelFolder.InvalidModelException e) {
            return; // the worker says what is missing; the demo waits for the model
        }
        long waiting = queue.unfinished(modelSha256);
        List<Explanations.ExplainedPhoto> explained = explanations.explainedPhotos(modelSha256);
        if (waiting > 0) {
            if (explained.size() != reportedExplained) {
                reportedExplained = explained.size();
                LOG.infof("demo: %d photos explained, %d to go; the demo study opens after them", explained.size(),
                        waiting);
            }
            return;
        }
        pending = false;
        if (studies.count() == 0) {
            open(explained);
        }
    }

    private void open(List<Explanations.ExplainedPhoto> explained) {
        List<Explanations.ExplainedPhoto> usable = explained.stream()
                .filter(p -> p.pFull() >= DEMO_MIN_P_FULL && p.correct()).toList();
        List<Long> trials;
        List<Long> practice;
        if (usable.stream().filter(p -> PAPER_TRIALS.contains(p.fileName())).count() >= 2) {
            trials = usable.stream().filter(p -> PAPER_TRIALS.contains(p.fileName()))
                    .map(Explanations.ExplainedPhoto::imageId).toList();
            practice = usable.stream().filter(p -> p.fileName().equals(PAPER_PRACTICE))
                    .map(Explanations.ExplainedPhoto::imageId).toList();
        } else {
            List<Explanations.ExplainedPhoto> byConfidence = usable.stream()
                    .sorted(Comparator.comparingDouble(Explanations.ExplainedPhoto::pFull)).toList();
            practice = byConfidence.size() >= 3 ? List.of(byConfidence.get(0).imageId()) : List.of();
            trials = byConfidence.stream().skip(practice.size()).map(Explanations.ExplainedPhoto::imageId).toList();
        }
        if (trials.size() < 2) {
            LOG.infof("demo: no study: %d of %d photos are classified with p >= %.1f (2 needed)", usable.size(),
                    explained.size(), DEMO_MIN_P_FULL);
            return;
        }
        Map<String, Object> changes = new HashMap<>(Map.of("imageIds", trials, "practiceImageIds", practice,
                "completionCode", "DEMO-COMPLETE", "minPFull", DEMO_MIN_P_FULL));
        if (practice.isEmpty()) {
            changes.put("practiceItems", 0);
        }
        // created and opened in separate transactions: a study that cannot open stays, as a draft that says why
        draft = lifecycle.create("Demo study", designs.merge(StudyDesign.defaults(), json.valueToTree(changes)));
        openDraft();
    }

    /** Opens the draft once the worker has evaluated its random options; another problem leaves it a draft. */
    private void openDraft() {
        long id = draft;
        try {
            lifecycle.open(id);
            draft = null;
            LOG.infof("demo: study %d is open: /studies/%d (results on /admin/studies/%d)", id, id, id);
        } catch (DomainException e) {
            if (!e.getMessage().contains(StudyItems.BEING_EVALUATED)) {
                draft = null;
                LOG.infof("demo: study %d stays a draft: %s", id, e.getMessage());
            }
        }
    }
}
