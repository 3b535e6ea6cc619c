package org.sagstudy.web;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.Slots;
import org.sagstudy.problem.TooMany;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.util.ModularCrypt;

/**
 * Who an admin is: passwords (the sign-in form and HTTP basic) checked against the bcrypt hashes in
 * {@code admin_user}, throttled by {@link LoginThrottle}, and the identity behind a session cookie
 * ({@link AdminSessions}). An unknown user costs the same bcrypt as a wrong password, so timing does not tell which
 * names exist.
 */
public final class AdminIdentities {

    /** The identity attribute that carries a session's CSRF token. */
    public static final String CSRF_ATTRIBUTE = "csrf";

    private AdminIdentities() {
    }

    /** An account as a password check needs it. */
    public record Account(String username, String passwordHash, String roles) {
    }

    static SecurityIdentity identity(String username, String roles, String csrf) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(username));
        for (String role : roles.split(",")) {
            builder.addRole(role.trim());
        }
        if (csrf != null) {
            builder.addAttribute(CSRF_ATTRIBUTE, csrf);
        }
        return builder.build();
    }

    /** The client's address as the server sees it (behind a trusted proxy: the forwarded one). */
    static String address(RoutingContext context) {
        return ClientAddress.of(context == null ? null : context.request());
    }

    /**
     * Password checks. A successful check is remembered for a few minutes (as a salted hash of the credentials), so
     * API clients that send basic credentials with every request do not each pay a bcrypt.
     */
    @ApplicationScoped
    public static class Passwords {

        private static final Duration REMEMBER = Duration.ofMinutes(5);
        private static final Duration BCRYPT_QUEUE = Duration.ofSeconds(2);
        private static final WildFlyElytronPasswordProvider ELYTRON = new WildFlyElytronPasswordProvider();

        private final LoginThrottle throttle;
        private final byte[] salt = new byte[16];
        private final ConcurrentHashMap<String, Long> recentlyChecked = new ConcurrentHashMap<>();
        private final Slots bcrypts = new Slots(Runtime.getRuntime().availableProcessors(), BCRYPT_QUEUE);
        /** Checked when the user is unknown, so that a wrong name costs what a wrong password costs. */
        private final String dummyHash = BcryptUtil.bcryptHash("no such user");

        private final AdminUsers users;

        public Passwords(LoginThrottle throttle, AdminUsers users) {
            this.users = users;
            this.throttle = throttle;
            new SecureRandom().nextBytes(salt);
        }

        /**
         * The account when the password is right. An attempt is reserved with the throttle first (429 when it says
         * wait), and bcrypt runs at most once per core at a time (429 when the queue does not move): a flood of
         * sign-ins with new names cannot take every core. Blocking.
         */
        public Optional<Account> check(String username, char[] password, String address) {
            Optional<Account> account = users.byUsername(username)
                    .map(user -> new Account(user.username(), user.passwordHash(), user.roles()));
            // credentials checked right a moment ago (an API client sends them with every request) cost no attempt
            String key = account.map(a -> fingerprint(a, password)).orElse(null);
            Long until = key == null ? null : recentlyChecked.get(key);
            if (until != null && until > System.currentTimeMillis()) {
                return account;
            }
            long wait = throttle.reserve(address, username);
            if (wait > 0) {
                throw new TooMany(wait);
            }
            boolean right;
            try {
                if (account.isEmpty()) {
                    bcrypts.run(() -> matches(dummyHash, password));
                    right = false;
                } else {
                    right = bcrypts.run(() -> matches(account.get().passwordHash(), password));
                }
            } catch (TooMany busy) {
                throttle.unused(address, username);
                throw busy;
            }
            if (!right) {
                throttle.failed(address, username, account.isPresent());
                return Optional.empty();
            }
            recentlyChecked.put(key, System.currentTimeMillis() + REMEMBER.toMillis());
            throttle.succeeded(address, username);
            return account;
        }

        static boolean matches(String passwordHash, char[] password) {
            try {
                Password decoded = ModularCrypt.decode(passwordHash);
                PasswordFactory factory = PasswordFactory.getInstance(decoded.getAlgorithm(), ELYTRON);
                return factory.verify(factory.translate(decoded), password);
            } catch (Exception e) {
                return false;
            }
        }

        /** Salted hash of user, stored hash and password: a changed password invalidates it. */
        private String fingerprint(Account account, char[] password) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(salt);
                sha.update(account.username().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(account.passwordHash().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(new String(password).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(sha.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** HTTP basic, for the API. */
    @ApplicationScoped
    public static class BasicCredentials implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private final Passwords passwords;

        public BasicCredentials(Passwords passwords) {
            this.passwords = passwords;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                AuthenticationRequestContext context) {
            String address = address(HttpSecurityUtils.getRoutingContextAttribute(request));
            String username = request.getUsername();
            char[] password = request.getPassword().getPassword();
            return context.runBlocking(() -> {
                try {
                    Account account = passwords.check(username, password, address)
                            .orElseThrow(AuthenticationFailedException::new);
                    return identity(account.username(), account.roles(), null);
                } catch (TooMany e) {
                    throw new AuthenticationFailedException(e);
                }
            });
        }
    }

    /** The admin behind a session cookie, checked against the table on every request. */
    @ApplicationScoped
    public static class SessionCookies implements IdentityProvider<SessionMechanism.SessionRequest> {

        private final AdminSessions sessions;

        public SessionCookies(AdminSessions sessions) {
            this.sessions = sessions;
        }

        @Override
        public Class<SessionMechanism.SessionRequest> getRequestType() {
            return SessionMechanism.SessionRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(SessionMechanism.SessionRequest request,
                AuthenticationRequestContext context) {
            return context.runBlocking(() -> sessions.find(request.token())
                    .map(s -> identity(s.username(), s.roles(), s.csrfToken()))
                    .orElseThrow(AuthenticationFailedException::new));
        }
    }
}
