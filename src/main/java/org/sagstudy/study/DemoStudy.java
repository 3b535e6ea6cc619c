package org.sagstudy.study;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.Transactional;
import java.util.List;
import org.jboss.logging.Logger;
import org.sagstudy.images.DemoImages;
import org.sagstudy.images.ImageEntity;

/**
 * With the demo photos (after {@link DemoImages} loaded them), a draft study of the paper's examples: the confident
 * peacocks and school buses for the trials, a race car for practice. Open it once their explanations are done.
 */
@ApplicationScoped
public class DemoStudy {

    private static final Logger LOG = Logger.getLogger(DemoStudy.class);
    private static final List<String> TRIALS = List.of("peacock_n01806143_225.JPEG", "peacock_n01806143_4756.JPEG",
            "schoolbus_13135277_620711e6c0.jpg", "schoolbus_24219078_bc73b703fe.jpg",
            "schoolbus_8228523_8eb89886be.jpg");
    private static final String PRACTICE = "racecar_n04037443_15839.JPEG";

    private final DemoImages.Config config;
    private final Studies studies;

    public DemoStudy(DemoImages.Config config, Studies studies) {
        this.config = config;
        this.studies = studies;
    }

    @Transactional
    void create(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        if (!config.enabled() || StudyEntity.count() > 0) {
            return;
        }
        List<Long> trials = TRIALS.stream().flatMap(name -> idOf(name).stream()).toList();
        List<Long> practice = idOf(PRACTICE).stream().toList();
        if (trials.size() < 2) {
            return;
        }
        StudyDesign d = StudyDesign.defaults();
        studies.create("Demo study (the paper's example photos)", new StudyDesign(d.conditions(), trials, practice,
                d.questionsPerImage(), d.minGap(), d.minPFull(), practice.isEmpty() ? 0 : d.practiceItems(),
                d.attentionChecks(), d.sagRoots(), d.sagDepth(), d.sagChildren(), d.askConfidence(),
                d.activeMinutes(), d.consent(), d.instructions(), "DEMO-COMPLETE", "", d.seed()));
        LOG.info("demo: draft study created; open it on /admin/studies once the photos are explained");
    }

    private static java.util.Optional<Long> idOf(String fileName) {
        return ImageEntity.<ImageEntity>find("fileName", fileName).firstResultOptional().map(image -> image.id);
    }
}
