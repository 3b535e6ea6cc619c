package org.sagstudy.jobs;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.http.Roles;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.model.ModelService;

/** The configured models: what each is, where it runs, how many photos it explained, or why it is not usable. */
@Path("/admin/models")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
public class ModelsPages {

    /** A configured model as the page shows it; {@code problem} set (and the rest empty) when it cannot be opened. */
    public record ModelRow(String source, String name, String sha256, int classes, String precision,
            boolean gradCam, long photosExplained, String problem) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(List<ModelRow> models, String device);
    }

    private final ModelRegistry registry;
    private final ModelService service;
    private final Explanations explanations;

    public ModelsPages(ModelRegistry registry, ModelService service, Explanations explanations) {
        this.registry = registry;
        this.service = service;
        this.explanations = explanations;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        Map<String, Long> explained = explanations.photosExplainedByModel();
        List<ModelRow> rows = registry.configured().stream().map(c -> c.folder().map(m -> row(c, m, explained))
                .orElse(new ModelRow(c.source(), "", "", 0, "", false, 0, c.problem())))
                .toList();
        return Templates.models(rows, service.device());
    }

    private static ModelRow row(ModelRegistry.Configured c, ModelFolder m, Map<String, Long> explained) {
        return new ModelRow(c.source(), m.name(), m.sha256(), m.labels().size(), m.variant().label(),
                m.gradCamFile() != null, explained.getOrDefault(m.sha256(), 0L), null);
    }
}
