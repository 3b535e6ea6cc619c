package org.sagstudy.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** The explanation workers of this process. A GPU machine can run workers only against the same database. */
@ConfigMapping(prefix = "sag.worker")
public interface WorkerConfig {

    /** Whether this process takes jobs at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Photos explained at once, sharing the model's passes (a search level alone fills a GPU batch poorly). Default:
     * 1 on a CPU, whose cores one explanation already keeps busy; 4 on a GPU.
     */
    @WithName("concurrent-images")
    Optional<Integer> concurrentImages();

    /** How long a taken job stays this worker's without a sign of life. */
    @WithDefault("120s")
    Duration lease();

    /** How often an idle worker looks for work. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Tries before a job is marked failed. */
    @WithDefault("3")
    int maxAttempts();
}
