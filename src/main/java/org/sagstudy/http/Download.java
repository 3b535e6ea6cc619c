package org.sagstudy.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/** A file the browser saves rather than shows, streamed as it is written. */
public final class Download {

    private Download() {
    }

    public static Response attachment(String fileName, String mediaType, StreamingOutput body) {
        return Response.ok(body, mediaType).header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }
}
