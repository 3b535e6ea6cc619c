package org.sagstudy.model;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * The configured model folders (or DJL zoo models, {@link ZooModels}) in the configured {@link ModelVariant}, each
 * opened and hashed once, on first use; the first is the default. A model that cannot be opened is tried again on the
 * next call (its folder may be being written), and does not keep the others from working.
 */
@ApplicationScoped
public class ModelRegistry {

    /** A configured model: what was configured, and the folder or why it cannot be opened. */
    public record Configured(String source, Optional<ModelFolder> folder, String problem) {
    }

    private final ModelConfig config;
    private final ConcurrentMap<String, ModelFolder> opened = new ConcurrentHashMap<>();

    public ModelRegistry(ModelConfig config) {
        this.config = config;
    }

    /** The default model: the first configured. */
    public ModelFolder folder() throws ModelFolder.InvalidModelException {
        return folder(config.dirs().get(0));
    }

    /** Every configured model, opened where it can be. */
    public List<Configured> configured() {
        List<Configured> all = new ArrayList<>();
        for (String source : config.dirs()) {
            try {
                all.add(new Configured(source, Optional.of(folder(source)), null));
            } catch (ModelFolder.InvalidModelException e) {
                all.add(new Configured(source, Optional.empty(), e.getMessage()));
            }
        }
        return all;
    }

    /** The models that open, in configuration order. */
    public List<ModelFolder> available() {
        return configured().stream().flatMap(c -> c.folder().stream()).toList();
    }

    /** The models that open, as "name (sha256), ..." for messages that say what is here; "none" when none does. */
    public String describeAvailable() {
        String described = available().stream().map(m -> m.name() + " (" + m.sha256() + ")")
                .collect(Collectors.joining(", "));
        return described.isEmpty() ? "none" : described;
    }

    public Optional<ModelFolder> byName(String name) {
        return available().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<ModelFolder> bySha256(String sha256) {
        return available().stream().filter(m -> m.sha256().equals(sha256)).findFirst();
    }

    private ModelFolder folder(String source) throws ModelFolder.InvalidModelException {
        ModelFolder folder = opened.get(source);
        if (folder == null) {
            folder = open(source, config.precision(), config.memoryFormat());
            for (ModelFolder other : opened.values()) {
                if (other.name().equals(folder.name()) && !other.sha256().equals(folder.sha256())) {
                    throw new ModelFolder.InvalidModelException("two configured models are both named "
                            + folder.name() + " (" + other.directory() + ", " + folder.directory() + "): rename one");
                }
            }
            opened.putIfAbsent(source, folder);
        }
        return opened.get(source);
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
