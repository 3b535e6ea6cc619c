package org.sagstudy.jobs;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.images.ApiError;

/** The job API: the queue with states, and retry or cancel. */
@Path("/api/jobs")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobQueue queue;

    public JobResource(JobQueue queue) {
        this.queue = queue;
    }

    @GET
    @Transactional
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> result = new ArrayList<>();
        for (JobEntity job : JobEntity.<JobEntity>listAll(io.quarkus.panache.common.Sort.by("id"))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", job.id);
            item.put("imageId", job.imageId);
            item.put("state", job.state);
            item.put("phase", job.phase);
            item.put("progress", job.progress);
            item.put("attempts", job.attempts);
            item.put("maxAttempts", job.maxAttempts);
            item.put("error", job.lastError);
            item.put("modelSha256", job.modelSha256);
            item.put("createdAt", job.createdAt.toString());
            item.put("startedAt", job.startedAt == null ? null : job.startedAt.toString());
            item.put("finishedAt", job.finishedAt == null ? null : job.finishedAt.toString());
            result.add(item);
        }
        return result;
    }

    @POST
    @Path("/{id}/retry")
    public Response retry(@PathParam("id") long id) {
        return queue.retry(id) ? Response.noContent().build()
                : ApiError.of(409, "job " + id + " is not failed or cancelled (or does not exist)");
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        return queue.cancel(id) ? Response.noContent().build()
                : ApiError.of(409, "job " + id + " is not queued or running (or does not exist)");
    }
}
