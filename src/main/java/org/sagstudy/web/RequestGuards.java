package org.sagstudy.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
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
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.SecurityConfig;
import org.sagstudy.problem.TooMany;

/**
 * Checks that run on every request before authentication and before any body is read, so that abuse costs the
 * server next to nothing: participant requests per address (429), bodies over the limit outside photo uploads (413),
 * state changes from another site (403), sign-ins while the throttle says wait (429), no-store on private pages, and
 * Strict-Transport-Security on HTTPS.
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
    private final Cache<String, Bucket> participantBuckets = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    public RequestGuards(SecurityConfig config, LoginThrottle throttle) {
        this.config = config;
        this.throttle = throttle;
    }

    void register(@Observes Filters filters) {
        filters.register(this::limitParticipantRequests, BEFORE_AUTHENTICATION + 40);
        filters.register(this::limitBody, BEFORE_AUTHENTICATION + 30);
        filters.register(this::sameSiteApi, BEFORE_AUTHENTICATION + 20);
        filters.register(this::throttleSignIns, BEFORE_AUTHENTICATION + 10);
        filters.register(this::strictTransport, BEFORE_AUTHENTICATION);
        filters.register(this::noStore, BEFORE_AUTHENTICATION - 10);
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

    /** Participant pages, pictures and API calls per address (see {@link SecurityConfig#participantRequestsPerMinute}). */
    private void limitParticipantRequests(RoutingContext context) {
        String path = context.normalizedPath();
        if (path != null && (path.startsWith("/p/") || path.startsWith("/api/sessions/")
                || path.startsWith("/studies/"))) {
            Bucket bucket = participantBuckets.get(ClientAddress.key(ClientAddress.of(context.request())),
                    key -> Bucket.builder().addLimit(Bandwidth.builder().capacity(config.participantRequestsPerMinute())
                            .refillGreedy(config.participantRequestsPerMinute(), Duration.ofMinutes(1)).build())
                            .build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                long wait = TooMany.seconds(probe.getNanosToWaitForRefill());
                context.response().putHeader("Retry-After", Long.toString(wait));
                refuse(context, 429, "too many requests from this address: try again in " + wait + " s");
                return;
            }
        }
        context.next();
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

    /**
     * State changes from another site are refused: a browser says so in Sec-Fetch-Site ({@code cross-site}, or
     * {@code same-site} for a sibling host) and in Origin (another origin, or {@code null}, which this server's own
     * pages never send: their Referrer-Policy is same-origin). API state changes also need the API header or a
     * same-origin Origin. The path is the one routing uses (percent-decoded, dot segments removed), so
     * {@code /%61pi/...} is {@code /api/...} here too.
     */
    private void sameSiteApi(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (SAFE.contains(request.method())) {
            context.next();
            return;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader("Origin");
        if ("cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site)
                || (origin != null && !sameOrigin(request))) {
            refuse(context, 403, "cross-site requests are refused");
            return;
        }
        if (isApi(context) && !hasValue(request.getHeader(API_HEADER)) && !sameOrigin(request)) {
            refuse(context, 403, "a state change to the API needs the header " + API_HEADER
                    + " (scripts) or a same-origin Origin (browsers)");
            return;
        }
        context.next();
    }

    private static boolean isApi(RoutingContext context) {
        String path = context.normalizedPath();
        return path != null && (path.startsWith("/api/") || path.equals("/api"));
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

    /**
     * Admin pages, the API (exports included), sign-in and participant pages are never kept by a browser or proxy
     * cache: a shared computer's next user cannot page back into them.
     */
    private void noStore(RoutingContext context) {
        String path = context.normalizedPath();
        if (path != null && (path.startsWith("/admin") || path.startsWith("/api/") || path.startsWith("/p/")
                || path.equals("/login") || path.startsWith("/studies/"))) {
            context.response().putHeader("Cache-Control", "no-store");
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
