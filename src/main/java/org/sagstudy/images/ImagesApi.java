package org.sagstudy.images;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.http.Page;
import org.sagstudy.http.Roles;
import org.sagstudy.jobs.JobView;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.problem.NotFound;

/** The image API: upload (files or zips), state, stored explanation, delete. */
@Path("/api/images")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
@Produces(MediaType.APPLICATION_JSON)
public class ImagesApi {

    private final ImageLibrary library;
    private final Explanations explanations;

    public ImagesApi(ImageLibrary library, Explanations explanations) {
        this.library = library;
        this.explanations = explanations;
    }

    /**
     * Stores every file that passes the checks and queues its explanation. 201 when at least one was stored (the
     * rejected ones are listed with their reasons); otherwise the most fitting 4xx, and nothing is stored.
     */
    @POST
    public Response upload(@RestForm("file") List<FileUpload> files, @RestForm("trueClass") String trueClass)
            throws ModelFolder.InvalidModelException {
        UploadReport report = library.upload(files == null ? null : files.stream()
                .map(f -> new UploadedFile(f.fileName(), f.size(), f.uploadedFile())).toList(), trueClass);
        return Response.status(report.status()).entity(report).build();
    }

    /** A page of the library, oldest first; the total is in {@code X-Total-Count}. */
    @GET
    public Response list(@QueryParam("offset") Integer offset, @QueryParam("limit") Integer limit) {
        return Response.ok(library.list(Page.of(offset, limit, false))).header("X-Total-Count", library.count())
                .build();
    }

    @GET
    @Path("/{id}")
    public ImageView get(@PathParam("id") long id) {
        return library.find(id).orElseThrow(() -> new NotFound("no image " + id));
    }

    /** The newest explanation of the image: the engine's document as stored. */
    @GET
    @Path("/{id}/explanation")
    public String explanation(@PathParam("id") long id, @QueryParam("model") String model) {
        get(id);
        return explanations.latestDocument(id, library.modelSha256(model).orElse(null))
                .orElseThrow(() -> new NotFound("image " + id + " has no explanation "
                        + (model == null ? "" : "by " + model + " ") + "yet"));
    }

    /** Queues the photo's explanation by another configured model ({@code ?model=NAME}); the ones it has are kept. */
    @POST
    @Path("/{id}/explain")
    public JobView explainWith(@PathParam("id") long id, @QueryParam("model") String model) {
        return library.explainWith(id, model);
    }

    /** What the photo truly shows: {@code {"trueClass": "n01440764"}} (a wnid or label of the model, or null). */
    @PUT
    @Path("/{id}/true-class")
    public ImageView setTrueClass(@PathParam("id") long id, TrueClassChange change)
            throws ModelFolder.InvalidModelException {
        return library.setTrueClass(id, change == null ? null : change.trueClass());
    }

    public record TrueClassChange(String trueClass) {
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        library.delete(id);
        return Response.noContent().build();
    }
}
