package org.sagstudy.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the configured model folder is complete; reports its name, sha256 and class count. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelRegistry models;

    public ModelReadiness(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            ModelFolder folder = models.folder();
            return HealthCheckResponse.named("model").up().withData("name", folder.name())
                    .withData("sha256", folder.sha256()).withData("classes", folder.labels().size()).build();
        } catch (ModelFolder.InvalidModelException e) {
            return HealthCheckResponse.named("model").down().withData("error", e.getMessage()).build();
        }
    }
}
