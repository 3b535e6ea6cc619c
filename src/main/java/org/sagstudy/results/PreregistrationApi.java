package org.sagstudy.results;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.sagstudy.http.Roles;
import org.sagstudy.problem.Invalid;
import org.sagstudy.study.Preregistrations;

/**
 * A study's pre-registration: Markdown by default, JSON with {@code format=json} (the document, its SHA-256 and time,
 * and the deviations log). A draft gets a preview marked as not registered.
 */
@Path("/api/studies/{id}/preregistration")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
public class PreregistrationApi {

    private final Preregistrations preregistrations;

    public PreregistrationApi(Preregistrations preregistrations) {
        this.preregistrations = preregistrations;
    }

    @GET
    @Produces({"text/markdown", "application/json"})
    public Response get(@PathParam("id") long id, @QueryParam("format") String format) {
        Preregistrations.Registration registration = preregistrations.of(id);
        if ("json".equals(format)) {
            return Response.ok(registration, "application/json").build();
        }
        if (format != null && !format.equals("markdown")) {
            throw new Invalid("format is markdown or json");
        }
        return Response.ok(registration.withDeviations(), "text/markdown; charset=utf-8")
                .header("Content-Disposition", "inline; filename=\"study-" + id + "-preregistration.md\"")
                .header("X-Content-SHA256", registration.sha256()).build();
    }
}
