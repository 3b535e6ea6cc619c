package org.sagstudy.images;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.sagstudy.jobs.ExplanationEntity;
import org.sagstudy.jobs.JobEntity;
import org.sagstudy.model.ModelFolder;

/** The image API: upload (files or zips), state, stored explanation, delete. */
@Path("/api/images")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {

    private final UploadCheck check;
    private final ImageLibrary library;

    public ImageResource(UploadCheck check, ImageLibrary library) {
        this.check = check;
        this.library = library;
    }

    /**
     * Stores every file that passes the checks and queues its explanation. 201 when at least one was stored (the
     * rejected ones are listed with their reasons); otherwise the most fitting 4xx, and nothing is stored.
     */
    @POST
    public Response upload(@RestForm("file") List<FileUpload> files) throws ModelFolder.InvalidModelException {
        if (files == null || files.isEmpty()) {
            return ApiError.of(400, "no file: send one or more multipart parts named 'file'");
        }
        List<UploadCheck.Accepted> accepted = new ArrayList<>();
        List<UploadCheck.Rejected> rejected = new ArrayList<>();
        for (FileUpload file : files) {
            if (file.size() > check.maxUploadBytes(file.fileName())) {
                rejected.add(new UploadCheck.Rejected(file.fileName(), "file too large: " + file.size() + " bytes",
                        413));
                continue;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file.uploadedFile());
            } catch (IOException e) {
                rejected.add(new UploadCheck.Rejected(file.fileName(), "cannot read upload: " + e.getMessage(), 400));
                continue;
            }
            UploadCheck.Verdicts verdicts = check.check(file.fileName(), bytes);
            accepted.addAll(verdicts.accepted());
            rejected.addAll(verdicts.rejected());
        }
        List<Map<String, Object>> stored = new ArrayList<>();
        for (UploadCheck.Accepted file : accepted) {
            ImageLibrary.Stored result = library.store(file);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", result.image().id);
            item.put("fileName", result.image().fileName);
            item.put("sha256", result.image().sha256);
            item.put("jobId", result.job().id);
            item.put("alreadyKnown", result.alreadyKnown());
            stored.add(item);
        }
        List<Map<String, Object>> problems = rejected.stream().map(r -> Map.<String, Object>of("fileName",
                r.fileName(), "error", r.reason())).toList();
        if (stored.isEmpty()) {
            int status = rejected.stream().mapToInt(UploadCheck.Rejected::status).max().orElse(400);
            return Response.status(status).entity(Map.of("error", rejected.size() == 1 ? rejected.get(0).reason()
                    : "no file was accepted", "rejected", problems)).build();
        }
        return Response.status(201).entity(Map.of("images", stored, "rejected", problems)).build();
    }

    @GET
    @Transactional
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> result = new ArrayList<>();
        for (ImageEntity image : ImageEntity.<ImageEntity>listAll(io.quarkus.panache.common.Sort.by("id"))) {
            result.add(describe(image));
        }
        return result;
    }

    @GET
    @Path("/{id}")
    @Transactional
    public Response get(@PathParam("id") long id) {
        ImageEntity image = ImageEntity.findById(id);
        if (image == null) {
            return ApiError.of(404, "no image " + id);
        }
        return Response.ok(describe(image)).build();
    }

    @GET
    @Path("/{id}/explanation")
    @Transactional
    public Response explanation(@PathParam("id") long id) {
        if (ImageEntity.findById(id) == null) {
            return ApiError.of(404, "no image " + id);
        }
        return ExplanationEntity.latestFor(id).map(e -> Response.ok(e.document).build())
                .orElseGet(() -> ApiError.of(404, "image " + id + " has no explanation yet"));
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    public Response delete(@PathParam("id") long id) {
        List<?> studies = ImageEntity.getEntityManager().createNativeQuery(
                "SELECT DISTINCT s.name FROM study_item i JOIN study s ON s.id = i.study_id WHERE i.image_id = ?1")
                .setParameter(1, id).getResultList();
        if (!studies.isEmpty()) {
            return ApiError.of(409, "image " + id + " is used by the study " + studies.get(0)
                    + "; remove it from the study's photos first (open and closed studies keep theirs)");
        }
        return ImageEntity.deleteById(id) ? Response.noContent().build() : ApiError.of(404, "no image " + id);
    }

    static Map<String, Object> describe(ImageEntity image) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", image.id);
        item.put("fileName", image.fileName);
        item.put("sha256", image.sha256);
        item.put("width", image.width);
        item.put("height", image.height);
        item.put("sizeBytes", image.sizeBytes);
        JobEntity.<JobEntity>find("imageId = ?1 order by id desc", image.id).firstResultOptional().ifPresent(job -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("id", job.id);
            state.put("state", job.state);
            state.put("phase", job.phase);
            state.put("progress", job.progress);
            state.put("attempts", job.attempts);
            state.put("error", job.lastError);
            item.put("job", state);
        });
        ExplanationEntity.summaryFor(image.id).ifPresent(e -> item.put("predicted",
                Map.of("label", e.predictedLabel(), "pFull", e.pFull())));
        return item;
    }
}
