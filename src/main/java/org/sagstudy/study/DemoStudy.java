package org.sagstudy.study;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.Transactional;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final StudyLifecycle lifecycle;
    private final StudyDesignJson designs;
    private final ObjectMapper json;

    public DemoStudy(DemoImages.Config config, StudyLifecycle lifecycle, StudyDesignJson designs, ObjectMapper json) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.designs = designs;
        this.json = json;
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
        Map<String, Object> changes = new HashMap<>(Map.of("imageIds", trials, "practiceImageIds", practice,
                "completionCode", "DEMO-COMPLETE"));
        if (practice.isEmpty()) {
            changes.put("practiceItems", 0);
        }
        lifecycle.create("Demo study (the paper's example photos)",
                designs.merge(StudyDesign.defaults(), json.valueToTree(changes)));
        LOG.info("demo: draft study created; open it on /admin/studies once the photos are explained");
    }

    private static java.util.Optional<Long> idOf(String fileName) {
        return ImageEntity.<ImageEntity>find("fileName", fileName).firstResultOptional().map(image -> image.id);
    }
}
