package org.sagstudy.web;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.util.ModularCrypt;

/**
 * Who an admin is: password checks (form login and HTTP basic) against the bcrypt hashes in {@code admin_user}, and
 * the identity behind a form-login session cookie. A bcrypt check costs tens of milliseconds by design, so a
 * successful check is remembered for a few minutes (as a salted hash of the credentials) and API clients sending
 * basic credentials with every request do not pay it each time.
 */
public final class AdminIdentities {

    private static final Duration REMEMBER = Duration.ofMinutes(5);
    private static final WildFlyElytronPasswordProvider ELYTRON = new WildFlyElytronPasswordProvider();

    private AdminIdentities() {
    }

    private record Account(String username, String passwordHash, String roles) {
    }

    private static Optional<Account> account(String username) {
        return QuarkusTransaction.requiringNew().call(() -> AdminUser.findByUsername(username)
                .map(user -> new Account(user.username, user.passwordHash, user.roles)));
    }

    private static SecurityIdentity identity(Account account) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.username()));
        for (String role : account.roles().split(",")) {
            builder.addRole(role.trim());
        }
        return builder.build();
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

    /** User name and password, from the login form or HTTP basic. */
    @ApplicationScoped
    public static class Passwords implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private final byte[] salt = new byte[16];
        private final ConcurrentHashMap<String, Long> recentlyChecked = new ConcurrentHashMap<>();

        public Passwords() {
            new SecureRandom().nextBytes(salt);
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                String username = request.getUsername();
                char[] password = request.getPassword().getPassword();
                Account account = account(username).orElseThrow(AuthenticationFailedException::new);
                String key = fingerprint(account, password);
                Long until = recentlyChecked.get(key);
                if (until == null || until < System.currentTimeMillis()) {
                    if (!matches(account.passwordHash(), password)) {
                        throw new AuthenticationFailedException();
                    }
                    recentlyChecked.put(key, System.currentTimeMillis() + REMEMBER.toMillis());
                }
                return identity(account);
            });
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
                return java.util.HexFormat.of().formatHex(sha.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The user behind a valid form-login cookie (already verified by Quarkus), looked up at most every
     * {@link #RECHECK} per user, so a page view does not cost a database round trip for its identity.
     */
    @ApplicationScoped
    public static class Sessions implements IdentityProvider<TrustedAuthenticationRequest> {

        static final Duration RECHECK = Duration.ofSeconds(30);

        private record Known(SecurityIdentity identity, long until) {
        }

        private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                AuthenticationRequestContext context) {
            Known cached = known.get(request.getPrincipal());
            if (cached != null && cached.until() > System.currentTimeMillis()) {
                return Uni.createFrom().item(cached.identity());
            }
            return context.runBlocking(() -> {
                SecurityIdentity identity = identity(account(request.getPrincipal())
                        .orElseThrow(AuthenticationFailedException::new));
                known.put(request.getPrincipal(), new Known(identity, System.currentTimeMillis() + RECHECK.toMillis()));
                return identity;
            });
        }
    }
}
