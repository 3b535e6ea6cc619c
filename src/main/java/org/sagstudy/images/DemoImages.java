package org.sagstudy.images;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.sagstudy.model.ModelFolder;

/** On a fresh database, uploads the demo photos (the paper's examples in ../shared) and queues their jobs. */
@ApplicationScoped
public class DemoImages {

    @ConfigMapping(prefix = "sag.demo")
    public interface Config {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("../shared/data/images/paper-examples")
        String imagesDir();

        /** How often the demo study checks whether its photos are explained (DemoStudy). */
        @WithDefault("10s")
        java.time.Duration checkEvery();
    }

    private static final Logger LOG = Logger.getLogger(DemoImages.class);

    private final Config config;
    private final UploadCheck check;
    private final ImageLibrary library;

    public DemoImages(Config config, UploadCheck check, ImageLibrary library) {
        this.config = config;
        this.check = check;
        this.library = library;
    }

    void load(@Observes StartupEvent event) {
        Path folder = Path.of(config.imagesDir());
        if (!config.enabled() || !Files.isDirectory(folder) || library.count() > 0) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> photos = files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                            .matches(".*\\.(jpe?g|png)")).sorted().toList();
            int stored = 0;
            for (Path photo : photos) {
                for (UploadCheck.Accepted file : check.check(photo.getFileName().toString(),
                        Files.readAllBytes(photo)).accepted()) {
                    library.store(file);
                    stored++;
                }
            }
            LOG.infof("demo: %d photos from %s queued for explanation", stored, folder.toAbsolutePath());
        } catch (IOException | ModelFolder.InvalidModelException | RuntimeException e) {
            // e.g. another instance loading them at the same moment: the server starts all the same
            LOG.warnf("demo photos not loaded: %s", e.getMessage());
        }
    }
}
