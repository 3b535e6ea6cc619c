package org.sagstudy.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The explanation workers of this process. A GPU machine can run workers only against the same database. */
@ConfigMapping(prefix = "sag.worker")
public interface WorkerConfig {

    /** Whether this process takes jobs at all. */
    @WithDefault("true")
    boolean enabled();

    /** Worker threads; libtorch already uses every core for one job, so more pays only on a GPU. */
    @WithDefault("1")
    int threads();

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
