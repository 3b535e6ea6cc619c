package org.sagstudy.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;

/**
 * The secret a participant's device keeps to come back to its session: set when a session starts (HttpOnly,
 * SameSite=Lax so that it comes along when the platform links here), one per study. Over HTTPS it is Secure and has
 * the __Host- prefix, so no other host (a sibling subdomain) can plant one.
 */
public final class ResumeCookies {

    private static final Duration KEPT = Duration.ofDays(14);

    private ResumeCookies() {
    }

    public static String name(long studyId, HttpServerRequest request) {
        return ("https".equals(request.scheme()) ? "__Host-" : "") + "sag-resume-" + studyId;
    }

    public static String read(HttpServerRequest request, long studyId) {
        Cookie cookie = request.getCookie(name(studyId, request));
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    public static NewCookie of(long studyId, String secret, HttpServerRequest request) {
        return new NewCookie.Builder(name(studyId, request)).value(secret).path("/").maxAge((int) KEPT.toSeconds())
                .httpOnly(true).secure("https".equals(request.scheme())).sameSite(NewCookie.SameSite.LAX).build();
    }
}
