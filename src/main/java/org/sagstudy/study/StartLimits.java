package org.sagstudy.study;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.Slots;
import org.sagstudy.problem.TooMany;

/**
 * Rate limits on new sessions, per client address and per study, so a flood of starts is refused (429) before it
 * reaches the database and cannot crowd out the participants already answering.
 */
@ApplicationScoped
public class StartLimits {

    /** How many starts are let through. */
    @ConfigMapping(prefix = "sag.study.starts")
    public interface Config {

        /** Starts one address (an IPv6 /64) may make at once; refilled over {@link #addressWindow()}. */
        @WithDefault("30")
        int perAddress();

        @WithDefault("10m")
        Duration addressWindow();

        /** Starts one study takes in a burst ... */
        @WithDefault("200")
        int studyBurst();

        /** ... and per second after it. */
        @WithDefault("50")
        int studyPerSecond();

        /**
         * Sessions one study takes in all (participants; previews and simulations apart): a ceiling that keeps the
         * analysis page, which reads a study's answers into memory, within bounds (10,000 sessions of about 100
         * answers take well under 1 GB); a larger study is refused with a message, not a server out of memory. It
         * leaves room for the largest plan a design accepts (2,000 per condition) with drop-outs.
         */
        @WithDefault("10000")
        int maxSessionsPerStudy();

        /** Starts this process runs at once; the rest wait briefly, so answers always find a connection. */
        @WithDefault("4")
        int concurrent();
    }

    private final Config config;
    private final Slots running;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    public StartLimits(Config config) {
        this.config = config;
        this.running = new Slots(config.concurrent(), Duration.ofSeconds(2));
    }

    /**
     * Runs a start for this address and study within the limits: refused (429 with the seconds to wait) when the
     * address or the study has used its share, or when the process is busy with other starts for too long.
     */
    public <T> T start(String address, long studyId, Supplier<T> start) {
        take(address, studyId);
        return running.run(start);
    }

    private void take(String address, long studyId) {
        consume(buckets.get("address:" + ClientAddress.key(address), key -> Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(config.perAddress()).refillGreedy(config.perAddress(), config.addressWindow()).build())
                .build()));
        consume(buckets.get("study:" + studyId, key -> Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(config.studyBurst()).refillGreedy(config.studyPerSecond(), Duration.ofSeconds(1)).build())
                .build()));
    }

    private static void consume(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new TooMany(TooMany.seconds(probe.getNanosToWaitForRefill()));
        }
    }
}
