package org.sagstudy.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * CSRF protection of the admin pages: every state-changing request to {@code /admin} must carry the header
 * {@code X-CSRF-Token} with the token the pages embed, an HMAC of the signed-in user under a key made at start-up.
 * A cross-site form cannot set headers and a cross-site script cannot read the token.
 */
@ApplicationScoped
public class Csrf {

    public static final String HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final byte[] key;

    /** Derived from the session key when one is configured, so tokens survive restarts and agree across instances. */
    public Csrf(@ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey) {
        if (sessionKey.isPresent() && !sessionKey.get().isBlank()) {
            try {
                key = MessageDigest.getInstance("SHA-256").digest(("csrf:" + sessionKey.get())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        } else {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        }
    }

    public String tokenFor(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(username.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (SAFE.contains(request.getMethod()) || !path.startsWith("/admin")) {
            return null;
        }
        String sent = request.getHeaderString(HEADER);
        java.security.Principal user = request.getSecurityContext().getUserPrincipal();
        if (user == null || sent == null || !MessageDigest.isEqual(sent.getBytes(),
                tokenFor(user.getName()).getBytes())) {
            return Response.status(403).entity(Map.of("error", "missing or wrong " + HEADER + " (reload the page)"))
                    .type("application/json").build();
        }
        return null;
    }
}
