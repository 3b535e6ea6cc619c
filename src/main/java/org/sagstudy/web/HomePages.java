package org.sagstudy.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;

/** The landing page: which model this server explains with, and how to use the engine. */
@Path("/")
public class HomePages {

    private static final Logger LOG = Logger.getLogger(HomePages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(ModelFolder model, String modelError);
    }

    private final ModelRegistry models;

    public HomePages(ModelRegistry models) {
        this.models = models;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance home() {
        try {
            return Templates.home(models.folder(), null);
        } catch (ModelFolder.InvalidModelException e) {
            LOG.warnf("model unavailable: %s", e.getMessage());
            return Templates.home(null, "The model cannot be loaded; see the server log.");
        }
    }
}
