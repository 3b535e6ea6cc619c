package org.sagstudy.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.sagstudy.http.ApiError;
import org.sagstudy.http.FormTokens;

/**
 * CSRF protection of the admin pages: every state-changing request to {@code /admin} must carry the header
 * {@code X-CSRF-Token} with the token of the signed-in session (the pages embed it). A cross-site form cannot set
 * headers and a cross-site script cannot read the token.
 */
@ApplicationScoped
public class Csrf {

    public static final String HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final SecurityIdentity identity;

    public Csrf(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The session's token, for the page; empty when the identity has none (not signed in through a session). */
    public static String tokenOf(SecurityIdentity identity) {
        String token = identity.getAttribute(AdminIdentities.CSRF_ATTRIBUTE);
        return token == null ? "" : token;
    }


    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/admin")) {
            return null;
        }
        if (identity.isAnonymous() || !FormTokens.same(tokenOf(identity), request.getHeaderString(HEADER))) {
            return ApiError.of(403, "missing or wrong " + HEADER + " (reload the page)");
        }
        return null;
    }
}
