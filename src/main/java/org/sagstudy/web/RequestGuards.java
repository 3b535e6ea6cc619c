package org.sagstudy.web;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Checks that run on every request before authentication and before any body is read, so that abuse costs the
 * server next to nothing: bodies over the limit outside photo uploads (413), state changes to the API from another
 * site (403), sign-ins while the throttle says wait (429), and Strict-Transport-Security on HTTPS.
 */
@ApplicationScoped
public class RequestGuards {

    /** A header a cross-site form cannot send and a cross-site script cannot send without our consent (CORS). */
    public static final String API_HEADER = "X-Requested-With";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** Quarkus authenticates at filter priority 200: these come first. */
    private static final int BEFORE_AUTHENTICATION = 1000;

    private final SecurityConfig config;
    private final LoginThrottle throttle;

    public RequestGuards(SecurityConfig config, LoginThrottle throttle) {
        this.config = config;
        this.throttle = throttle;
    }

    void register(@Observes Filters filters) {
        filters.register(this::limitBody, BEFORE_AUTHENTICATION + 30);
        filters.register(this::sameSiteApi, BEFORE_AUTHENTICATION + 20);
        filters.register(this::throttleSignIns, BEFORE_AUTHENTICATION + 10);
        filters.register(this::strictTransport, BEFORE_AUTHENTICATION);
    }

    /** A body without a length is capped as it streams in; this runs after Quarkus sets its global cap. */
    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(context -> {
            if (!isUpload(context.request()) && context.request().getHeader("Content-Length") == null) {
                context.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, (long) config.maxBodyBytes());
            }
            context.next();
        });
    }

    private void limitBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader("Content-Length");
        if (length != null && !isUpload(request) && exceeds(length, config.maxBodyBytes())) {
            context.response().putHeader("Connection", "close");
            refuse(context, 413, "request body larger than " + config.maxBodyBytes() + " bytes");
            return;
        }
        context.next();
    }

    private void sameSiteApi(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.path().startsWith("/api/") && !SAFE.contains(request.method())
                && !hasValue(request.getHeader(API_HEADER)) && !sameOrigin(request)) {
            refuse(context, 403, "a state change to the API needs the header " + API_HEADER
                    + " (scripts) or a same-origin Origin (browsers)");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !SAFE.contains(request.method()) && !"null".equals(origin) && !sameOrigin(request)) {
            refuse(context, 403, "cross-site requests are refused");
            return;
        }
        context.next();
    }

    private void throttleSignIns(RoutingContext context) {
        String username = basicUser(context.request().getHeader("Authorization"));
        if (username != null) {
            long wait = throttle.secondsToWait(AdminIdentities.address(context), username);
            if (wait > 0) {
                context.response().putHeader("Retry-After", Long.toString(wait));
                refuse(context, 429, "too many failed sign-ins: try again in " + wait + " s");
                return;
            }
        }
        context.next();
    }

    private void strictTransport(RoutingContext context) {
        if ("https".equals(context.request().scheme())) {
            context.response().putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        context.next();
    }

    private static boolean isUpload(HttpServerRequest request) {
        return request.method() == HttpMethod.POST
                && (request.path().equals("/api/images") || request.path().equals("/admin/images"));
    }

    private static boolean exceeds(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static boolean hasValue(String header) {
        return header != null && !header.isBlank();
    }

    /** The Origin names this server, as the browser reached it (through a trusted proxy: the forwarded host). */
    private static boolean sameOrigin(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        return origin != null && origin.equalsIgnoreCase(request.scheme() + "://" + request.authority());
    }

    /** The user name of HTTP basic credentials, or null. */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void refuse(RoutingContext context, int status, String message) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
