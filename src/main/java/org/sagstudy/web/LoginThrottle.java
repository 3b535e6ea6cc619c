package org.sagstudy.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.SecurityConfig;
import org.sagstudy.problem.TooMany;

/**
 * Slows password guessing down, per client address (an IPv6 /64) and per account-and-address pair: a few failures
 * are free, then each further attempt must wait, twice as long as the last wait (up to a limit). There is no lock of
 * an account as such: guesses from elsewhere never keep its owner out. Every password check first reserves an attempt
 * from both ({@link #reserve}), in one atomic step per key, so a burst of parallel guesses when a wait ends gets one
 * attempt through, not the whole burst; a success (or a check that could not run) gives the attempts back, and only a
 * failure that emptied a bucket lengthens its wait.
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
        return Math.max(secondsToWait(addressKey(address)), secondsToWait(pairKey(address, account)));
    }

    /**
     * Takes one attempt for this address and account: 0 when taken (the password may be checked), else the seconds
     * to wait (nothing taken).
     */
    public long reserve(String address, String account) {
        String pair = pairKey(address, account);
        if (!take(pair, config.accountAttempts())) {
            return Math.max(1, secondsToWait(pair));
        }
        String addressKey = addressKey(address);
        if (!take(addressKey, config.addressAttempts())) {
            giveBack(pair);
            return Math.max(1, secondsToWait(addressKey));
        }
        return 0;
    }

    /**
     * A wrong password after {@link #reserve}. The log names the account only when it exists: a name that is not an
     * account is often a password typed into the wrong field.
     */
    public void failed(String address, String account, boolean accountExists) {
        LOG.warnf("failed sign-in from %s to %s", address,
                accountExists ? "account '" + printable(account) + "'" : "an unknown account");
        lengthenIfDry(pairKey(address, account), config.accountAttempts());
        lengthenIfDry(addressKey(address), config.addressAttempts());
    }

    /** A reserved attempt whose password was never checked (the server was too busy): both attempts come back. */
    public void unused(String address, String account) {
        giveBack(pairKey(address, account));
        giveBack(addressKey(address));
    }

    /** A right password after {@link #reserve}: this pair starts afresh, and the address gets its attempt back. */
    public void succeeded(String address, String account) {
        backoffs.invalidate(pairKey(address, account));
        giveBack(addressKey(address));
    }

    private long secondsToWait(String key) {
        Backoff backoff = backoffs.getIfPresent(key);
        if (backoff == null) {
            return 0;
        }
        EstimationProbe probe = backoff.bucket().estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : TooMany.seconds(probe.getNanosToWaitForRefill());
    }

    /** One attempt from the key's bucket, atomically. */
    private boolean take(String key, int attempts) {
        boolean[] taken = new boolean[1];
        backoffs.asMap().compute(key, (k, backoff) -> {
            Backoff current = backoff != null ? backoff : new Backoff(bucket(attempts, 0, attempts), 0);
            taken[0] = current.bucket().tryConsume(1);
            return current;
        });
        return taken[0];
    }

    /** After a failure: a bucket that is now dry comes back with the next, longer wait. */
    private void lengthenIfDry(String key, int attempts) {
        backoffs.asMap().computeIfPresent(key, (k, current) -> current.bucket().getAvailableTokens() > 0 ? current
                : new Backoff(bucket(attempts, current.level(), 0), current.level() + 1));
    }

    private void giveBack(String key) {
        Backoff backoff = backoffs.getIfPresent(key);
        if (backoff != null) {
            backoff.bucket().addTokens(1);
        }
    }

    private Bucket bucket(int attempts, int level, long tokens) {
        long waitMillis = Math.min(config.maxBackoff().toMillis(), config.firstBackoff().toMillis() << Math.min(level, 20));
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(attempts)
                .refillIntervally(1, Duration.ofMillis(waitMillis)).initialTokens(tokens).build()).build();
    }

    private static String addressKey(String address) {
        return "address:" + ClientAddress.key(address);
    }

    private static String pairKey(String address, String account) {
        return "pair:" + ClientAddress.key(address) + "\n" + (account == null ? "" : account.toLowerCase(Locale.ROOT));
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
