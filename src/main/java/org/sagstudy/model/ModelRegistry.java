package org.sagstudy.model;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * The configured model folder (or DJL zoo model, {@link ZooModels}), opened and hashed once; the classifier itself is
 * loaded on first use.
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
                    folder = ZooModels.isZooName(config.dir()) ? ZooModels.open(config.dir())
                            : ModelFolder.open(Path.of(config.dir()));
                }
                opened = folder;
            }
        }
        return opened;
    }
}
