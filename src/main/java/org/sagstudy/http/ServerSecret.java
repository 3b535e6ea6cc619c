package org.sagstudy.http;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's secret ({@code SAG_SESSION_KEY}): keyed hashes that outsiders cannot compute, such as the platform-id
 * pseudonyms of an export. A production server refuses to start without one; the secret never reaches a log.
 */
@ApplicationScoped
public class ServerSecret {

    private static final String DEVELOPMENT_SECRET = "development-secret-not-for-production";
    private final byte[] key;

    public ServerSecret(SecurityConfig config) {
        String secret = config.secret().filter(s -> !s.isBlank()).orElse(null);
        if (secret == null && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("SAG_SESSION_KEY is not set: a production server needs a secret of its "
                    + "own (for example: export SAG_SESSION_KEY=$(openssl rand -hex 32))");
        }
        key = (secret == null ? DEVELOPMENT_SECRET : secret).getBytes(StandardCharsets.UTF_8);
    }

    /** Fails the start-up early, not at the first export. */
    void check(@Observes StartupEvent event) {
        // constructing the bean is the check
    }

    /** HMAC-SHA256 of {@code value} for one {@code purpose}, as hex. */
    public String hmac(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
