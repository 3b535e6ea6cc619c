package org.sagstudy.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The API's error body, {@code {"error": "..."}}, with a status. */
public final class ApiError {

    /** What a client reads when a request is refused. */
    public record Body(String error) {
    }

    private ApiError() {
    }

    public static Response of(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Body(message)).build();
    }
}
