package org.sagstudy.study;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starts a participant's session through the API (no account: the returned token is the session's key). */
@Path("/api/studies/{id}/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionStartApi {

    private final StudySessions sessions;
    private final SecurityIdentity identity;

    public SessionStartApi(StudySessions sessions, SecurityIdentity identity) {
        this.sessions = sessions;
        this.identity = identity;
    }

    /**
     * Body: the platform's ids under their usual names ({@code PROLIFIC_PID}, ... or {@code workerId}, ...);
     * {@code "simulated": true} (admins only) marks a simulated participant.
     */
    @POST
    public Response start(@PathParam("id") long studyId, Map<String, Object> body, @Context HttpServerRequest request) {
        Map<String, String> ids = new HashMap<>();
        if (body != null) {
            body.forEach((key, value) -> ids.put(key, value == null ? null : value.toString()));
        }
        boolean simulated = "true".equals(ids.remove("simulated"));
        if (simulated && !identity.hasRole("admin")) {
            throw new StudyException(403, "only an admin (HTTP basic) may start simulated sessions");
        }
        StudySessions.Started started = sessions.start(studyId, ExternalIds.from(ids),
                simulated ? StudySessions.Kind.SIMULATED : StudySessions.Kind.PARTICIPANT, null,
                request.getHeader("User-Agent"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("token", started.token());
        result.put("condition", started.condition().key());
        result.put("resumed", started.resumed());
        result.put("next", "/api/sessions/" + started.token() + "/next");
        result.put("page", TrialLinks.session(started.token()));
        return Response.status(started.resumed() ? 200 : 201).entity(result).build();
    }
}
