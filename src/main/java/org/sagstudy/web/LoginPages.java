package org.sagstudy.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.FormTokens;
import org.sagstudy.http.SecurityConfig;
import org.sagstudy.problem.Forbidden;

/**
 * Signing in and out of the admin pages. A right password starts a server-side session ({@link AdminSessions});
 * the cookie is HttpOnly, SameSite=Strict, and Secure whenever the request came over HTTPS (directly or through a
 * trusted proxy). Signing out needs the session's CSRF token and ends the session on the server.
 */
@Path("/")
public class LoginPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean failed, String formToken);
    }

    private final AdminIdentities.Passwords passwords;
    private final AdminSessions sessions;
    private final SecurityConfig config;
    private final FormTokens formTokens;

    public LoginPages(AdminIdentities.Passwords passwords, AdminSessions sessions, SecurityConfig config,
            FormTokens formTokens) {
        this.passwords = passwords;
        this.formTokens = formTokens;
        this.sessions = sessions;
        this.config = config;
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response login(@QueryParam("error") String error, @Context HttpServerRequest request) {
        FormTokens.Issued form = formTokens.issue(request);
        Response.ResponseBuilder page = Response.ok(Templates.login(error != null, form.token()));
        return (form.cookie() == null ? page : page.cookie(form.cookie())).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Blocking
    public Response signIn(@FormParam("username") String username, @FormParam("password") String password,
            @FormParam(FormTokens.FIELD) String formToken, @Context HttpServerRequest request) {
        formTokens.check(request, formToken);
        String address = ClientAddress.of(request);
        String name = username == null ? "" : username;
        return passwords.check(name, (password == null ? "" : password).toCharArray(), address)
                .map(account -> {
                    AdminSessions.Created created = sessions.create(account.username(), account.roles());
                    return Response.seeOther(URI.create(returnPath(request))).cookie(cookie(created.token(),
                            (int) config.sessionLifetime().toSeconds(), request)).build();
                })
                .orElseGet(() -> Response.seeOther(URI.create("/login?error=1")).build());
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Blocking
    public Response signOut(@FormParam("csrf") String csrf, @Context HttpServerRequest request) {
        io.vertx.core.http.Cookie cookie = request.getCookie(AdminSessions.cookieName(request));
        if (cookie != null) {
            sessions.find(cookie.getValue()).filter(session -> FormTokens.same(session.csrfToken(), csrf))
                    .orElseThrow(() -> new Forbidden("missing or wrong CSRF token (reload the page)"));
            sessions.revoke(cookie.getValue());
        }
        return Response.seeOther(URI.create("/login")).cookie(cookie("", 0, request)).build();
    }

    /** The admin page the stranger wanted before signing in; never another site. */
    private static String returnPath(HttpServerRequest request) {
        io.vertx.core.http.Cookie wanted = request.getCookie(SessionMechanism.RETURN_COOKIE);
        String path = wanted == null ? "" : wanted.getValue();
        return path.startsWith("/admin") && !path.contains("//") && !path.contains("\\") ? path : "/admin";
    }

    private static NewCookie cookie(String value, int maxAge, HttpServerRequest request) {
        return new NewCookie.Builder(AdminSessions.cookieName(request)).value(value).path("/").maxAge(maxAge)
                .httpOnly(true).secure("https".equals(request.scheme())).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
