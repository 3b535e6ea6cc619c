package org.sagstudy.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The admin pages' sign-in: a session cookie ({@link AdminSessions}). Selected for the page paths in
 * application.properties ({@code auth-mechanism=session}); strangers are sent to the sign-in page. A stale cookie
 * leaves the request anonymous rather than failing it, so public pages still answer.
 */
@ApplicationScoped
public class SessionMechanism implements HttpAuthenticationMechanism {

    /** A session cookie's token, to be checked. */
    public static final class SessionRequest extends BaseAuthenticationRequest {

        private final String token;

        SessionRequest(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    /** Where to go after signing in. */
    static final String RETURN_COOKIE = "sag-return";

    private static final HttpCredentialTransport TRANSPORT = new HttpCredentialTransport(
            HttpCredentialTransport.Type.COOKIE, AdminSessions.COOKIE, "session");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Cookie cookie = context.request().getCookie(AdminSessions.cookieName(context.request()));
        if (cookie == null || cookie.getValue().isBlank()) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new SessionRequest(
                cookie.getValue()), context)).onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    /** Sends strangers to sign in, remembering where they were going (a page, never another site). */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (context.request().method() == HttpMethod.GET) {
            context.response().addCookie(Cookie.cookie(RETURN_COOKIE, context.request().uri()).setPath("/login")
                    .setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setMaxAge(600)
                    .setSecure("https".equals(context.request().scheme())));
        }
        return Uni.createFrom().item(new ChallengeData(302, "Location", "/login"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(TRANSPORT);
    }
}
