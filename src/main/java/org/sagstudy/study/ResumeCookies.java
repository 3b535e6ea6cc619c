package org.sagstudy.study;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;

/**
 * The secret a participant's device keeps to come back to its session: set when a session starts (HttpOnly,
 * SameSite=Lax so that it comes along when the platform links here, Secure over HTTPS), one per study.
 */
final class ResumeCookies {

    private static final Duration KEPT = Duration.ofDays(14);

    private ResumeCookies() {
    }

    static String name(long studyId) {
        return "sag-resume-" + studyId;
    }

    static String read(HttpServerRequest request, long studyId) {
        Cookie cookie = request.getCookie(name(studyId));
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    static NewCookie of(long studyId, String secret, HttpServerRequest request) {
        return new NewCookie.Builder(name(studyId)).value(secret).path("/").maxAge((int) KEPT.toSeconds())
                .httpOnly(true).secure("https".equals(request.scheme())).sameSite(NewCookie.SameSite.LAX).build();
    }

    /** The client's address as the server sees it (behind a trusted proxy: the forwarded one). */
    static String address(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
