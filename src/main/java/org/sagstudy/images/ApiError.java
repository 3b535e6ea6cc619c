package org.sagstudy.images;

import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The API's error body: {@code {"error": "..."}} with a status. */
public final class ApiError {

    private ApiError() {
    }

    public static Response of(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
