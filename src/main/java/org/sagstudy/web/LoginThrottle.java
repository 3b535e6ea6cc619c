package org.sagstudy.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Slows password guessing down, per client address and per account: a few failures are free, then each further
 * failure must wait, twice as long as the last wait (up to a limit). While either waits, every sign-in is refused
 * before any password is checked (429 with Retry-After), the right one too. A success clears the account.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    /** A key's bucket and how many times it has run dry (the back-off doubles with each). */
    private record Backoff(Bucket bucket, int level) {
    }

    private final SecurityConfig config;
    private final Cache<String, Backoff> backoffs = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(6)).build();

    public LoginThrottle(SecurityConfig config) {
        this.config = config;
    }

    /** Seconds to wait before the next sign-in from this address to this account; 0 when it may go ahead. */
    public long secondsToWait(String address, String account) {
        return Math.max(secondsToWait(addressKey(address)), secondsToWait(accountKey(account)));
    }

    public void failed(String address, String account) {
        LOG.warnf("failed sign-in as '%s' from %s", printable(account), address);
        consume(addressKey(address), config.addressAttempts());
        consume(accountKey(account), config.accountAttempts());
    }

    public void succeeded(String account) {
        backoffs.invalidate(accountKey(account));
    }

    private long secondsToWait(String key) {
        Backoff backoff = backoffs.getIfPresent(key);
        if (backoff == null) {
            return 0;
        }
        EstimationProbe probe = backoff.bucket().estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(
                probe.getNanosToWaitForRefill() + 999_999_999L));
    }

    private void consume(String key, int attempts) {
        backoffs.asMap().compute(key, (k, backoff) -> {
            Backoff current = backoff != null ? backoff : new Backoff(bucket(attempts, 0, attempts), 0);
            current.bucket().tryConsume(1);
            if (current.bucket().getAvailableTokens() > 0) {
                return current;
            }
            // ran dry: one more try after a wait twice as long as the last one
            return new Backoff(bucket(attempts, current.level(), 0), current.level() + 1);
        });
    }

    private Bucket bucket(int attempts, int level, long tokens) {
        long waitMillis = Math.min(config.maxBackoff().toMillis(), config.firstBackoff().toMillis() << Math.min(level, 20));
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(attempts)
                .refillIntervally(1, Duration.ofMillis(waitMillis)).initialTokens(tokens).build()).build();
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static String accountKey(String account) {
        return "account:" + (account == null ? "" : account.toLowerCase(Locale.ROOT));
    }

    /** A user name as it may appear in the log: no control characters, at most 64 characters. */
    static String printable(String name) {
        if (name == null) {
            return "";
        }
        String clean = name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
