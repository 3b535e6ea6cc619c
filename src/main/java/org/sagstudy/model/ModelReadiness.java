package org.sagstudy.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/** Ready when the configured model folder is complete; reports its name, sha256 and class count. */
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
            ModelFolder folder = models.folder();
            return HealthCheckResponse.named("model").up().withData("name", folder.name())
                    .withData("sha256", folder.sha256()).withData("precision", folder.variant().label())
                    .withData("classes", folder.labels().size()).build();
        } catch (ModelFolder.InvalidModelException e) {
            // the reason names files of the server: it goes to the log, not to whoever asks
            LOG.warnf("model not ready: %s", e.getMessage());
            return HealthCheckResponse.named("model").down().withData("error", "the model cannot be loaded; see the "
                    + "server log").build();
        }
    }
}
