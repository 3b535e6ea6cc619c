package org.sagstudy.http;

import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.sagstudy.problem.NotFound;

/** A drawn picture with its media type. */
public record Picture(byte[] bytes, String type) {

    /** 200 with the picture and how long a browser may keep it, or 404 when there is nothing to draw. */
    public static Response response(String cacheControl, Optional<Picture> picture) {
        return picture.map(p -> Response.ok(p.bytes(), p.type()).header("Cache-Control", cacheControl).build())
                .orElseThrow(() -> new NotFound("no such picture"));
    }
}
