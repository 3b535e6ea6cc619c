package org.sagstudy.http;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.sagstudy.database.DatabaseFailures;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.problem.DomainException;
import org.sagstudy.problem.TooMany;

/**
 * Errors as short messages, never a stack trace: a page for requests to HTML pages, {@code {"error": "..."}} for
 * everything else.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance message(String title, String text);
    }

    @ServerExceptionMapper
    public Response modelUnavailable(ModelFolder.InvalidModelException e, ResourceInfo resource) {
        LOG.warnf("model unavailable: %s", e.getMessage());
        return respond(503, "the model is unavailable; see the server log", resource);
    }

    /** The one place where the application's refusals become HTTP statuses. */
    @ServerExceptionMapper
    public Response refused(DomainException e, ResourceInfo resource) {
        Response response = respond(status(e.kind()), e.getMessage(), resource);
        if (e instanceof TooMany wait) {
            return Response.fromResponse(response).header("Retry-After", wait.secondsToWait()).build();
        }
        return response;
    }

    static int status(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_MANY -> 429;
        };
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, ResourceInfo resource) {
        if (e instanceof WebApplicationException web) {
            return respond(web.getResponse().getStatus(), web.getMessage(), resource);
        }
        Optional<DatabaseFailures.Kind> database = DatabaseFailures.classify(e);
        if (database.isPresent()) {
            LOG.warnf("database: %s", e.getMessage());
            return switch (database.get()) {
                case RACE -> respond(409, "changed by another request at the same moment: try again", resource);
                case BUSY, AWAY -> Response.fromResponse(respond(503, "the database is busy or restarting: try "
                        + "again in a few seconds", resource)).header("Retry-After", 5).build();
            };
        }
        LOG.error("unexpected error", e);
        return respond(500, "internal error; see the server log", resource);
    }

    private static Response respond(int status, String message, ResourceInfo resource) {
        if (producesHtml(resource)) {
            return Response.status(status).type(MediaType.TEXT_HTML)
                    .entity(Templates.message("Sorry", message).render()).build();
        }
        return ApiError.of(status, message);
    }

    private static boolean producesHtml(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return false;
        }
        Produces produces = method.isAnnotationPresent(Produces.class) ? method.getAnnotation(Produces.class)
                : resource.getResourceClass().getAnnotation(Produces.class);
        return produces != null && Arrays.asList(produces.value()).contains(MediaType.TEXT_HTML);
    }
}
