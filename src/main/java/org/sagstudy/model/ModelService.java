package org.sagstudy.model;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.sagstudy.explain.BatchingClassifier;
import org.sagstudy.model.ModelConfig;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.model.TorchScriptClassifier;

/** The server's classifier, loaded on first use and shared by the workers. */
@ApplicationScoped
public class ModelService {

    private final ModelRegistry registry;
    /** How long a pass waits for other photos' images before it runs. */
    private static final long MERGE_WAIT_MS = 3;

    private final ModelConfig config;
    private TorchScriptClassifier classifier;
    private BatchingClassifier shared;

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

    /** The classifier for photos explained at once: their passes are merged ({@link BatchingClassifier}). */
    public synchronized BatchingClassifier shared() throws ModelFolder.InvalidModelException {
        if (shared == null) {
            shared = new BatchingClassifier(classifier(), MERGE_WAIT_MS);
        }
        return shared;
    }

    /** Photos a worker explains at once when not configured: 4 on a GPU, 1 on a CPU. */
    public int defaultConcurrentImages() {
        return DeviceChoice.resolve(config.device()).isGpu() ? 4 : 1;
    }

    @PreDestroy
    synchronized void close() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
        if (classifier != null) {
            classifier.close();
            classifier = null;
        }
    }
}
