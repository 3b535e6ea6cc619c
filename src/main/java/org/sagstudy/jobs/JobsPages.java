package org.sagstudy.jobs;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.sagstudy.http.Page;
import org.sagstudy.http.Roles;

/** The queue page (form login): jobs with live progress, throughput and time left, retry and cancel. */
@Path("/admin/jobs")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
public class JobsPages {

    /** What the page polls: throughput and a page of jobs, newest first. */
    public record Board(long imagesPerHour, double meanSeconds, long waiting, long secondsLeft, long total,
            List<JobView> jobs) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance jobs();
    }

    private final JobViews views;
    private final JobQueue queue;
    private final Throughput throughput;

    public JobsPages(JobViews views, JobQueue queue, Throughput throughput) {
        this.views = views;
        this.queue = queue;
        this.throughput = throughput;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.jobs();
    }

    @GET
    @Path("/board.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Board board(@QueryParam("offset") Integer offset, @QueryParam("limit") Integer limit) {
        Throughput.Snapshot now = throughput.now();
        return new Board(now.doneLastHour(), now.meanSeconds(), now.waiting(), now.secondsLeft(), views.count(),
                views.list(Page.of(offset, limit, true)));
    }

    @POST
    @Path("/{id}/{action:retry|cancel}")
    public Response change(@PathParam("id") long id, @PathParam("action") String action) {
        queue.apply(id, action);
        return Response.noContent().build();
    }
}
