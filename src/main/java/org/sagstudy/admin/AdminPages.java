package org.sagstudy.admin;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.images.ApiError;
import org.sagstudy.images.ImageEntity;
import org.sagstudy.images.ImageResource;
import org.sagstudy.jobs.ExplanationEntity;
import org.sagstudy.jobs.JobQueue;
import org.sagstudy.jobs.JobResource;
import org.sagstudy.model.ModelFolder;

/**
 * The admin pages (form login): images with upload, the job queue with live progress, and the explanation viewer.
 * Pages fetch their live data as JSON from here; state changes carry the CSRF header ({@link Csrf}).
 */
@Path("/admin")
@RolesAllowed("admin")
public class AdminPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance images(String user, String csrf);

        static native TemplateInstance jobs(String user, String csrf);

        static native TemplateInstance viewer(String user, String csrf, ImageEntity image, String label,
                String pFull, String dnf);
    }

    private final SecurityIdentity identity;
    private final Csrf csrf;
    private final StoredRenderings renderings;
    private final ImageResource images;
    private final JobResource jobs;
    private final JobQueue queue;
    private final Throughput throughput;

    public AdminPages(SecurityIdentity identity, Csrf csrf, StoredRenderings renderings, ImageResource images,
            JobResource jobs, JobQueue queue, Throughput throughput) {
        this.identity = identity;
        this.csrf = csrf;
        this.renderings = renderings;
        this.images = images;
        this.jobs = jobs;
        this.queue = queue;
        this.throughput = throughput;
    }

    private String user() {
        return identity.getPrincipal().getName();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance imagesPage() {
        return Templates.images(user(), csrf.tokenFor(user()));
    }

    @GET
    @Path("/jobs")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance jobsPage() {
        return Templates.jobs(user(), csrf.tokenFor(user()));
    }

    @GET
    @Path("/images/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response viewer(@PathParam("id") long id) {
        ImageEntity image = ImageEntity.findById(id);
        if (image == null) {
            return Response.status(404).type(MediaType.TEXT_PLAIN).entity("no image " + id).build();
        }
        Optional<ExplanationEntity.Summary> summary = ExplanationEntity.summaryFor(id);
        return Response.ok(Templates.viewer(user(), csrf.tokenFor(user()), image,
                summary.map(ExplanationEntity.Summary::predictedLabel).orElse(null),
                summary.map(s -> String.format(java.util.Locale.ROOT, "%.3f", s.pFull())).orElse(null),
                summary.map(ExplanationEntity.Summary::dnf).orElse(null))).build();
    }

    // JSON and pictures for the pages

    @GET
    @Path("/images.json")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> imageList() {
        return images.list();
    }

    @GET
    @Path("/jobs.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> jobList() {
        Throughput.Snapshot now = throughput.now();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("imagesPerHour", now.doneLastHour());
        result.put("meanSeconds", now.meanSeconds());
        result.put("waiting", now.waiting());
        result.put("secondsLeft", now.secondsLeft());
        result.put("jobs", jobs.list());
        return result;
    }

    @GET
    @Path("/images/{id}/explanation.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response explanationJson(@PathParam("id") long id) {
        return download(id, renderings.explanation(id).map(Object::toString), "explanation-" + id + ".json");
    }

    @GET
    @Path("/images/{id}/sag.svg")
    @Produces("image/svg+xml")
    public Response sagSvg(@PathParam("id") long id) {
        return download(id, renderings.sagSvg(id), "sag-" + id + ".svg");
    }

    @GET
    @Path("/images/{id}/sag.dot")
    @Produces(MediaType.TEXT_PLAIN)
    public Response sagDot(@PathParam("id") long id) {
        return download(id, renderings.sag(id).map(org.sagstudy.explain.Sag::toDot), "sag-" + id + ".dot");
    }

    private static Response download(long id, Optional<String> content, String fileName) {
        return content.map(text -> Response.ok(text)
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").build())
                .orElseGet(() -> ApiError.of(404, "image " + id + " has no explanation yet"));
    }

    @GET
    @Path("/images/{id}/original.png")
    @Produces("image/png")
    public Response original(@PathParam("id") long id) {
        return picture(renderings.original(id), "image/png");
    }

    @GET
    @Path("/images/{id}/{kind:gradcam|igos}.png")
    @Produces("image/png")
    public Response overlay(@PathParam("id") long id, @PathParam("kind") String kind) {
        return picture(renderings.overlay(id, kind.equals("gradcam") ? HeatMap.Kind.GRADCAM : HeatMap.Kind.IGOS),
                "image/png");
    }

    /** The photo showing only the patches of {@code set} (comma-separated indices 0..48). */
    @GET
    @Path("/images/{id}/patches.jpg")
    @Produces("image/jpeg")
    public Response patches(@PathParam("id") long id, @QueryParam("set") String set) {
        List<Integer> patches = new ArrayList<>();
        try {
            for (String part : (set == null ? "" : set).split(",")) {
                if (!part.isBlank()) {
                    int patch = Integer.parseInt(part.trim());
                    if (patch < 0 || patch > 48) {
                        return ApiError.of(400, "patch indices are 0..48");
                    }
                    patches.add(patch);
                }
            }
        } catch (NumberFormatException e) {
            return ApiError.of(400, "set must be comma-separated patch indices, e.g. 8,17,19");
        }
        return picture(renderings.patches(id, PatchSet.of(patches)), "image/jpeg");
    }

    private static Response picture(Optional<byte[]> bytes, String type) {
        return bytes.map(b -> Response.ok(b, type).header("Cache-Control", "private, max-age=3600").build())
                .orElseGet(() -> ApiError.of(404, "nothing to draw (no such image or no explanation yet)"));
    }

    // actions (CSRF header required)

    @POST
    @Path("/images")
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@RestForm("file") List<FileUpload> files) throws ModelFolder.InvalidModelException {
        return images.upload(files);
    }

    @DELETE
    @Path("/images/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response delete(@PathParam("id") long id) {
        return images.delete(id);
    }

    @POST
    @Path("/jobs/{id}/{action:retry|cancel}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jobAction(@PathParam("id") long id, @PathParam("action") String action) {
        boolean changed = action.equals("retry") ? queue.retry(id) : queue.cancel(id);
        return changed ? Response.noContent().build()
                : ApiError.of(409, "job " + id + " cannot be " + (action.equals("retry") ? "retried" : "cancelled")
                        + " in its state");
    }

}
