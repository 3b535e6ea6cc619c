package org.sagstudy.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;

/**
 * The landing page: how to use the engine, and, for signed-in admins only, which model this server explains with (a
 * participant who knew the model could compute every answer from the option pictures).
 */
@Path("/")
public class HomePages {

    private static final Logger LOG = Logger.getLogger(HomePages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(ModelFolder model, String modelError, boolean admin);
    }

    private final ModelRegistry models;
    private final SecurityIdentity identity;

    public HomePages(ModelRegistry models, SecurityIdentity identity) {
        this.models = models;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance home() {
        boolean admin = !identity.isAnonymous();
        try {
            ModelFolder model = models.folder();
            return Templates.home(admin ? model : null, null, admin);
        } catch (ModelFolder.InvalidModelException e) {
            LOG.warnf("model unavailable: %s", e.getMessage());
            return Templates.home(null, "The model cannot be loaded; see the server log.", admin);
        }
    }
}
