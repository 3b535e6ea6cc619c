package org.sagstudy.jobs;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.sagstudy.http.Page;
import org.sagstudy.http.Roles;

/** The job API: the queue with states, and retry or cancel. */
@Path("/api/jobs")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
@Produces(MediaType.APPLICATION_JSON)
public class JobsApi {

    private final JobViews views;
    private final JobQueue queue;

    public JobsApi(JobViews views, JobQueue queue) {
        this.views = views;
        this.queue = queue;
    }

    /** A page of the queue, oldest first; the total is in {@code X-Total-Count}. */
    @GET
    public Response list(@QueryParam("offset") Integer offset, @QueryParam("limit") Integer limit) {
        return Response.ok(views.list(Page.of(offset, limit, false))).header("X-Total-Count", views.count()).build();
    }

    @POST
    @Path("/{id}/{action:retry|cancel}")
    public Response change(@PathParam("id") long id, @PathParam("action") String action) {
        queue.apply(id, action);
        return Response.noContent().build();
    }
}
