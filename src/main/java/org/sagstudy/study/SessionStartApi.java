package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import java.util.Map;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.ResumeCookies;
import org.sagstudy.problem.Forbidden;

/** Starts a participant's session through the API (no account: the returned token is the session's key). */
@Path("/api/studies/{id}/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionStartApi {

    /**
     * The platform's ids under their usual names; {@code simulated} (admins only) marks a simulated participant.
     */
    public record StartBody(@JsonProperty("PROLIFIC_PID") String prolificPid, @JsonProperty("STUDY_ID") String studyId,
            @JsonProperty("SESSION_ID") String sessionId, String workerId, String hitId, String assignmentId,
            boolean simulated) {

        ExternalIds ids() {
            Map<String, String> ids = new HashMap<>();
            ids.put("PROLIFIC_PID", prolificPid);
            ids.put("STUDY_ID", studyId);
            ids.put("SESSION_ID", sessionId);
            ids.put("workerId", workerId);
            ids.put("hitId", hitId);
            ids.put("assignmentId", assignmentId);
            return ExternalIds.from(ids);
        }
    }

    public record Started(String token, String condition, boolean resumed, String next, String page) {
    }

    private final Assignment assignment;
    private final StartLimits limits;
    private final SecurityIdentity identity;

    public SessionStartApi(Assignment assignment, StartLimits limits, SecurityIdentity identity) {
        this.assignment = assignment;
        this.limits = limits;
        this.identity = identity;
    }

    @POST
    public Response start(@PathParam("id") long studyId, StartBody body, @Context HttpServerRequest request) {
        StartBody ids = body == null ? new StartBody(null, null, null, null, null, null, false) : body;
        if (ids.simulated() && identity.isAnonymous()) {
            throw new Forbidden("only a signed-in account (HTTP basic) may start simulated sessions");
        }
        Assignment.StartRequest start = Assignment.StartRequest.of(ids.ids(),
                ids.simulated() ? SessionKind.SIMULATED : SessionKind.PARTICIPANT, request.getHeader("User-Agent"),
                ResumeCookies.read(request, studyId));
        Assignment.Started started = ids.simulated() ? assignment.start(studyId, start)
                : limits.start(ClientAddress.of(request), studyId, () -> assignment.start(studyId, start));
        Response.ResponseBuilder response = Response.status(started.resumed() ? 200 : 201).entity(new Started(
                started.token(), started.condition().key(), started.resumed(),
                "/api/sessions/" + started.token() + "/next", TrialLinks.session(started.token())));
        if (started.resumeSecret() != null) {
            response.cookie(ResumeCookies.of(studyId, started.resumeSecret(), request));
        }
        return response.build();
    }
}
