package org.sagstudy.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready when the configured model folder is complete. The report names no model and no hash: the health check is
 * public, and a participant who knows the model (the option pictures are exactly its input) could compute every
 * answer. Admins see the model on the home page.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ModelReadiness.class);

    private final ModelRegistry models;

    public ModelReadiness(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            models.folder();
            return HealthCheckResponse.named("model").up().build();
        } catch (ModelFolder.InvalidModelException e) {
            // the reason names files of the server: it goes to the log, not to whoever asks
            LOG.warnf("model not ready: %s", e.getMessage());
            return HealthCheckResponse.named("model").down().withData("error", "the model cannot be loaded; see the "
                    + "server log").build();
        }
    }
}
