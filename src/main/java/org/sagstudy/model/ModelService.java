package org.sagstudy.model;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.sagstudy.model.ModelConfig;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.model.TorchScriptClassifier;

/** The server's classifier, loaded on first use and shared by the workers. */
@ApplicationScoped
public class ModelService {

    private final ModelRegistry registry;
    private final ModelConfig config;
    private TorchScriptClassifier classifier;

    public ModelService(ModelRegistry registry, ModelConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** The configured model's hash, without loading it. */
    public String sha256() throws ModelFolder.InvalidModelException {
        return registry.folder().sha256();
    }

    public synchronized TorchScriptClassifier classifier() throws ModelFolder.InvalidModelException {
        if (classifier == null) {
            classifier = TorchScriptClassifier.open(registry.folder(), config.device(), config.batchSize());
        }
        return classifier;
    }

    @PreDestroy
    synchronized void close() {
        if (classifier != null) {
            classifier.close();
            classifier = null;
        }
    }
}
