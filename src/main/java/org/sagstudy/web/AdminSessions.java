package org.sagstudy.web;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.http.SecurityConfig;

/**
 * Signed-in admins as server-side sessions. The browser holds a random token; the table holds its SHA-256, the user,
 * the session's CSRF token and when it ends. Every request checks the table, so signing out or changing the password
 * ends a session everywhere at once, and a copied cookie is worth nothing afterwards.
 */
@ApplicationScoped
public class AdminSessions {

    public static final String COOKIE = "sag-session";
    /** The cookie's name over HTTPS: with the __Host- prefix the browser takes it only from this host, Secure. */
    public static final String SECURE_COOKIE = "__Host-sag-session";

    /** The session cookie's name for this request's scheme. */
    public static String cookieName(io.vertx.core.http.HttpServerRequest request) {
        return "https".equals(request.scheme()) ? SECURE_COOKIE : COOKIE;
    }

    /** A live session: who, and the token its pages send with every change. */
    public record Session(String username, String roles, String csrfToken) {
    }

    /** A new session: the token for the cookie, and the session. */
    public record Created(String token, Session session) {
    }

    private static final RowMapper<Session> SESSION_ROW = ConstructorMapper.of(Session.class);

    private final SecureRandom random = new SecureRandom();
    private final Jdbi jdbi;
    private final SecurityConfig config;

    public AdminSessions(Jdbi jdbi, SecurityConfig config) {
        this.jdbi = jdbi;
        this.config = config;
    }

    public Created create(String username, String roles) {
        String token = randomToken();
        String csrf = randomToken();
        jdbi.useHandle(handle -> handle.createUpdate("""
                INSERT INTO admin_session (token_hash, username, csrf_token, expires_at)
                VALUES (:tokenHash, :username, :csrf, now() + make_interval(secs => :lifetimeSeconds))""")
                .bind("tokenHash", hash(token)).bind("username", username).bind("csrf", csrf)
                .bind("lifetimeSeconds", (double) config.sessionLifetime().toSeconds()).execute());
        return new Created(token, new Session(username, roles, csrf));
    }

    /** The live session behind a cookie's token, marking it seen; empty when it is unknown, ended or idle too long. */
    public Optional<Session> find(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                UPDATE admin_session s SET last_seen_at = now() FROM admin_user u
                WHERE s.token_hash = :tokenHash AND u.username = s.username AND s.revoked_at IS NULL
                  AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => :idleSeconds)
                RETURNING s.username, u.roles, s.csrf_token""").bind("tokenHash", hash(token))
                .bind("idleSeconds", (double) config.sessionIdle().toSeconds())
                .map(SESSION_ROW).findOne());
    }

    public void revoke(String token) {
        revoke("token_hash", hash(token));
    }

    /**
     * Deletes sessions that ended (expired, revoked or idle too long) more than a day ago: the table holds live
     * sessions and a day of history, not every sign-in ever.
     */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeEnded() {
        jdbi.useHandle(handle -> handle.createUpdate("""
                DELETE FROM admin_session WHERE least(expires_at, coalesce(revoked_at, expires_at),
                    last_seen_at + make_interval(secs => :idleSeconds)) < now() - interval '1 day'""")
                .bind("idleSeconds", (double) config.sessionIdle().toSeconds()).execute());
    }

    /** Ends every session of a user (after a password change). */
    public void revokeAll(String username) {
        revoke("username", username);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the live sessions whose {@code column} (a name given here, never by a client) has this value. */
    private void revoke(String column, String value) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE admin_session SET revoked_at = now() WHERE " + column
                + " = :value AND revoked_at IS NULL").bind("value", value).execute());
    }
}
