package org.sagstudy.model;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.explain.BatchingClassifier;

/** The server's classifiers, one per configured model, each loaded on first use and shared by the workers. */
@ApplicationScoped
public class ModelService {

    /** How long a pass waits for other photos' images before it runs. */
    private static final long MERGE_WAIT_MS = 3;

    private final ModelRegistry registry;
    private final ModelConfig config;
    private final Map<String, TorchScriptClassifier> classifiers = new HashMap<>();
    private final Map<String, BatchingClassifier> shared = new HashMap<>();

    public ModelService(ModelRegistry registry, ModelConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** The configured models, each opened (not loaded) or with why it cannot be. */
    public List<ModelRegistry.Configured> configured() {
        return registry.configured();
    }

    /** The classifier of the configured model with this hash. */
    public synchronized TorchScriptClassifier classifier(String sha256) throws ModelFolder.InvalidModelException {
        TorchScriptClassifier classifier = classifiers.get(sha256);
        if (classifier == null) {
            ModelFolder folder = registry.bySha256(sha256).orElseThrow(() -> new ModelFolder.InvalidModelException(
                    "no configured model has the hash " + sha256));
            classifier = TorchScriptClassifier.open(folder, config.device(), config.batchSize());
            classifiers.put(sha256, classifier);
        }
        return classifier;
    }

    /** The classifier for photos explained at once: their passes are merged ({@link BatchingClassifier}). */
    public synchronized BatchingClassifier shared(String sha256) throws ModelFolder.InvalidModelException {
        BatchingClassifier merged = shared.get(sha256);
        if (merged == null) {
            merged = new BatchingClassifier(classifier(sha256), MERGE_WAIT_MS);
            shared.put(sha256, merged);
        }
        return merged;
    }

    /** Photos a worker explains at once when not configured: 4 on a GPU, 1 on a CPU. */
    public int defaultConcurrentImages() {
        return DeviceChoice.resolve(config.device()).isGpu() ? 4 : 1;
    }

    /** Where the models run (cpu or gpu), as configured and resolved. */
    public String device() {
        return DeviceChoice.resolve(config.device()).isGpu() ? "gpu" : "cpu";
    }

    @PreDestroy
    synchronized void close() {
        shared.values().forEach(BatchingClassifier::close);
        shared.clear();
        classifiers.values().forEach(TorchScriptClassifier::close);
        classifiers.clear();
    }
}
