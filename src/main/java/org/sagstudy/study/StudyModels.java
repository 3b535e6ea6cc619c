package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;

/**
 * Which of the server's models a study's explanations come from: the one its design names (the default model when it
 * names none), and once the study is open, the file with the hash frozen then.
 */
@ApplicationScoped
public class StudyModels {

    private final ModelRegistry registry;

    public StudyModels(ModelRegistry registry) {
        this.registry = registry;
    }

    /** A draft's design as stored: its model named (the default when none), its hash not yet frozen. */
    StudyDesign draft(StudyDesign design) {
        String name = design.model();
        if (name.isBlank()) {
            try {
                name = registry.folder().name();
            } catch (ModelFolder.InvalidModelException e) {
                // stored without a name; the items say the model is missing until it is there
                name = "";
            }
        }
        return design.withModel(name, null);
    }

    /** The design frozen at open: its model's hash as the items were built with it. */
    StudyDesign frozen(StudyDesign design) {
        return design.withModel(design.model(), modelOf(design).map(ModelFolder::sha256).orElseThrow(
                () -> new IllegalStateException("a study opens only when its model is there")));
    }

    /** The model of a design, or empty with a sentence in {@code problems} saying why there is none. */
    Optional<ModelFolder> of(StudyDesign design, List<String> problems) {
        Optional<ModelFolder> model = modelOf(design);
        if (model.isEmpty()) {
            problems.add("the study's model " + (design.model().isBlank() ? "(the default)" : design.model())
                    + (design.modelSha256() == null ? "" : " with hash " + design.modelSha256())
                    + " is not configured on this server; configured: " + registry.describeAvailable());
        }
        return model;
    }

    /** The model of a design: the frozen hash's, else the named one, else the default; empty when it is not here. */
    Optional<ModelFolder> modelOf(StudyDesign design) {
        if (design.modelSha256() != null) {
            return registry.bySha256(design.modelSha256());
        }
        if (design.model().isBlank()) {
            try {
                return Optional.of(registry.folder());
            } catch (ModelFolder.InvalidModelException e) {
                return Optional.empty();
            }
        }
        return registry.byName(design.model());
    }
}
