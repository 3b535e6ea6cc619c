package org.sagstudy.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.sagstudy.problem.Forbidden;

/**
 * CSRF tokens for the forms a stranger fills in before having any session: the study's landing page (start a
 * session) and the sign-in page. The page sets a random cookie (SameSite=Strict, HttpOnly) and puts a keyed hash of
 * it in the form; a post must bring both. A page on another site can neither read the field nor make the browser send
 * the cookie with its post, so it cannot start sessions from its visitors' addresses or sign them in.
 */
@ApplicationScoped
public class FormTokens {

    /** The form field that carries the token. */
    public static final String FIELD = "form_token";
    private static final String COOKIE = "sag-form";
    /** Over HTTPS the cookie has the __Host- prefix: only this host, over HTTPS, may set it. */
    private static final String SECURE_COOKIE = "__Host-sag-form";

    /** The token for the page, and the cookie to set (null when the browser already holds one). */
    public record Issued(String token, NewCookie cookie) {
    }

    private final SecureRandom random = new SecureRandom();
    private final ServerSecret secret;

    public FormTokens(ServerSecret secret) {
        this.secret = secret;
    }

    public Issued issue(HttpServerRequest request) {
        String existing = cookieValue(request);
        if (existing != null) {
            return new Issued(token(existing), null);
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String value = HexFormat.of().formatHex(bytes);
        boolean secure = "https".equals(request.scheme());
        NewCookie cookie = new NewCookie.Builder(secure ? SECURE_COOKIE : COOKIE).value(value).path("/")
                .httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.STRICT).build();
        return new Issued(token(value), cookie);
    }

    /** Refuses (403) a post without the cookie and the matching token. */
    public void check(HttpServerRequest request, String sent) {
        String value = cookieValue(request);
        if (value == null || !same(token(value), sent)) {
            throw new Forbidden("this form has expired or did not come from this site: reload the page and "
                    + "try again");
        }
    }

    private String token(String cookieValue) {
        return secret.hmac("form-token", cookieValue).substring(0, 32);
    }

    private static String cookieValue(HttpServerRequest request) {
        Cookie cookie = request.getCookie("https".equals(request.scheme()) ? SECURE_COOKIE : COOKIE);
        return cookie == null || !cookie.getValue().matches("[0-9a-f]{48}") ? null : cookie.getValue();
    }

    /** Constant-time comparison of a token with the one sent; neither may be missing. */
    public static boolean same(String expected, String sent) {
        return expected != null && sent != null && !expected.isEmpty() && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }
}
