package org.sagstudy.web;

import jakarta.ws.rs.core.Response;
import java.util.Optional;

/** A drawn picture with its media type. */
public record Picture(byte[] bytes, String type) {

    /** 200 with the picture and how long a browser may keep it, or 404 when there is nothing to draw. */
    public static Response response(Optional<Picture> picture, String cacheControl) {
        return picture.map(p -> Response.ok(p.bytes(), p.type()).header("Cache-Control", cacheControl).build())
                .orElseThrow(() -> HttpProblem.notFound("no such picture"));
    }
}
