package org.sagstudy.images;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.sagstudy.model.ModelFolder;

/** Errors as short JSON messages: no stack trace ever reaches a client. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response modelUnavailable(ModelFolder.InvalidModelException e) {
        return ApiError.of(503, "model unavailable: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException web) {
            Response response = web.getResponse();
            return ApiError.of(response.getStatus(), web.getMessage());
        }
        LOG.error("unexpected error", e);
        return ApiError.of(500, "internal error; see the server log");
    }
}
