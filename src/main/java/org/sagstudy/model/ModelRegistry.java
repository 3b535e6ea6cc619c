package org.sagstudy.model;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * The configured model folder (or DJL zoo model, {@link ZooModels}) in the configured {@link ModelVariant}, opened and
 * hashed once; the classifier itself is loaded on first use.
 */
@ApplicationScoped
public class ModelRegistry {

    private final ModelConfig config;
    private volatile ModelFolder folder;

    public ModelRegistry(ModelConfig config) {
        this.config = config;
    }

    public ModelFolder folder() throws ModelFolder.InvalidModelException {
        ModelFolder opened = folder;
        if (opened == null) {
            synchronized (this) {
                if (folder == null) {
                    folder = open(config.dir(), config.precision(), config.memoryFormat());
                }
                opened = folder;
            }
        }
        return opened;
    }

    /** A model folder or zoo model in the given variant; the exception says what is wrong with either. */
    public static ModelFolder open(String model, String precision, String memoryFormat)
            throws ModelFolder.InvalidModelException {
        ModelVariant variant;
        try {
            variant = ModelVariant.parse(precision, memoryFormat);
        } catch (IllegalArgumentException e) {
            throw new ModelFolder.InvalidModelException(e.getMessage());
        }
        ModelFolder folder = ZooModels.isZooName(model) ? ZooModels.open(model) : ModelFolder.open(Path.of(model));
        return folder.withVariant(variant);
    }
}
