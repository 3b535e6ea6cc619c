package org.sagstudy.jobs;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The job API: the queue with states, and retry or cancel. */
@Path("/api/jobs")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class JobsApi {

    private final JobViews views;
    private final JobQueue queue;

    public JobsApi(JobViews views, JobQueue queue) {
        this.views = views;
        this.queue = queue;
    }

    @GET
    public List<JobView> list() {
        return views.all();
    }

    @POST
    @Path("/{id}/{action:retry|cancel}")
    public Response change(@PathParam("id") long id, @PathParam("action") String action) {
        queue.apply(id, action);
        return Response.noContent().build();
    }
}
