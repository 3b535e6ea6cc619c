package org.sagstudy.images;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.Renderings;
import org.sagstudy.explanations.StoredExplanation;
import org.sagstudy.http.Page;
import org.sagstudy.http.Picture;
import org.sagstudy.http.Roles;
import org.sagstudy.jobs.JobView;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.problem.Invalid;
import org.sagstudy.problem.NotFound;

/**
 * The image pages (form login): the library with upload, and the explanation viewer with its pictures and downloads.
 * Pages fetch their live data as JSON from here; state changes carry the CSRF header.
 */
@Path("/admin")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
public class ImagesPages {

    /**
     * What the viewer shows of an image and its newest explanation by the chosen model (label null while there is
     * none), with the models that can explain it ({@code query}: the model's part of the page's links).
     */
    public record Viewer(long id, String fileName, String label, String pFull, String dnf, String model, String query,
            List<ModelTab> models) {
    }

    /** A configured model on the viewer: shown now, explained this photo already, or can be asked to. */
    public record ModelTab(String name, boolean shown, boolean explained) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance images();

        static native TemplateInstance viewer(Viewer viewer);
    }

    private final ImageLibrary library;
    private final Explanations explanations;
    private final Renderings renderings;
    private final ModelRegistry models;

    public ImagesPages(ImageLibrary library, Explanations explanations, Renderings renderings, ModelRegistry models) {
        this.models = models;
        this.library = library;
        this.explanations = explanations;
        this.renderings = renderings;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance imagesPage() {
        return Templates.images();
    }

    @GET
    @Path("/images/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance viewer(@PathParam("id") long id, @QueryParam("model") String model) {
        ImageView image = library.find(id).orElseThrow(() -> new NotFound("no image " + id));
        List<String> explainedBy = explanations.modelsOf(id);
        String sha256 = library.modelSha256(model).orElse(explainedBy.isEmpty() ? null : explainedBy.get(0));
        Optional<Explanations.Summary> summary = sha256 == null ? Optional.empty()
                : explanations.summaryFor(id, sha256);
        List<ModelTab> tabs = models.available().stream().map(m -> new ModelTab(m.name(), m.sha256().equals(sha256),
                explainedBy.contains(m.sha256()))).toList();
        String shown = tabs.stream().filter(ModelTab::shown).map(ModelTab::name).findFirst().orElse("");
        return Templates.viewer(new Viewer(id, image.fileName(),
                summary.map(Explanations.Summary::predictedLabel).orElse(null),
                summary.map(s -> String.format(Locale.ROOT, "%.3f", s.pFull())).orElse(null),
                summary.map(Explanations.Summary::dnf).orElse(null), shown,
                shown.isEmpty() ? "" : "?model=" + shown, tabs));
    }

    /** A page of the library, newest first (the page polls it); the total is in {@code X-Total-Count}. */
    @GET
    @Path("/images.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response imageList(@QueryParam("offset") Integer offset, @QueryParam("limit") Integer limit) {
        return Response.ok(library.list(Page.of(offset, limit, true))).header("X-Total-Count", library.count())
                .build();
    }

    @GET
    @Path("/images/{id}/explanation.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response explanationJson(@PathParam("id") long id, @QueryParam("model") String model) {
        return download(explanations.latestDocument(id, modelOrAny(model)), "explanation-" + id + ".json");
    }

    @GET
    @Path("/images/{id}/sag.svg")
    @Produces("image/svg+xml")
    public Response sagSvg(@PathParam("id") long id, @QueryParam("model") String model) {
        return download(explanations.latestFor(id, modelOrAny(model))
                .flatMap(explanation -> renderings.sag(id, explanation.toSag(), title(explanation)))
                .map(picture -> new String(picture.bytes(), java.nio.charset.StandardCharsets.UTF_8)),
                "sag-" + id + ".svg");
    }

    @GET
    @Path("/images/{id}/sag.dot")
    @Produces(MediaType.TEXT_PLAIN)
    public Response sagDot(@PathParam("id") long id, @QueryParam("model") String model) {
        return download(explanations.latestFor(id, modelOrAny(model)).map(explanation -> explanation.toSag().toDot()),
                "sag-" + id + ".dot");
    }

    private static String title(StoredExplanation explanation) {
        return explanation.image() + ": " + explanation.predicted().label() + ", " + explanation.dnf();
    }

    private static Response download(Optional<String> content, String fileName) {
        return content.map(text -> Response.ok(text)
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").build())
                .orElseThrow(() -> new NotFound("no such image, or no explanation yet"));
    }

    @GET
    @Path("/images/{id}/original.png")
    @Produces("image/png")
    public Response original(@PathParam("id") long id) {
        return picture(renderings.original(id));
    }

    @GET
    @Path("/images/{id}/{kind:gradcam|igos}.png")
    @Produces("image/png")
    public Response overlay(@PathParam("id") long id, @PathParam("kind") String kind,
            @QueryParam("model") String model) {
        HeatMap.Kind heatMap = kind.equals("gradcam") ? HeatMap.Kind.GRADCAM : HeatMap.Kind.IGOS;
        return picture(explanations.latestIdFor(id, modelOrAny(model)).flatMap(explanation -> renderings.overlay(id,
                explanation, heatMap)));
    }

    /** The hash of the model named in {@code ?model=}; null (any model's newest) when none is named. */
    private String modelOrAny(String model) {
        return library.modelSha256(model).orElse(null);
    }

    /** The photo showing only the patches of {@code set} (comma-separated indices 0..48). */
    @GET
    @Path("/images/{id}/patches.jpg")
    @Produces("image/jpeg")
    public Response patches(@PathParam("id") long id, @QueryParam("set") String set) {
        return picture(renderings.patches(id, parsePatches(set).bits()));
    }

    private static PatchSet parsePatches(String set) {
        List<Integer> patches = new ArrayList<>();
        try {
            for (String part : (set == null ? "" : set).split(",")) {
                if (!part.isBlank()) {
                    int patch = Integer.parseInt(part.trim());
                    if (patch < 0 || patch > 48) {
                        throw new Invalid("patch indices are 0..48");
                    }
                    patches.add(patch);
                }
            }
        } catch (NumberFormatException e) {
            throw new Invalid("set must be comma-separated patch indices, e.g. 8,17,19");
        }
        return PatchSet.of(patches);
    }

    private static Response picture(Optional<Picture> picture) {
        return Picture.response("private, max-age=3600", picture);
    }

    // actions (CSRF header required)

    @POST
    @Path("/images")
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@RestForm("file") List<FileUpload> files, @RestForm("trueClass") String trueClass)
            throws ModelFolder.InvalidModelException {
        UploadReport report = library.upload(files == null ? null : files.stream()
                .map(f -> new UploadedFile(f.fileName(), f.size(), f.uploadedFile())).toList(), trueClass);
        return Response.status(report.status()).entity(report).build();
    }

    /** Queues the photo's explanation by another configured model (the one it has is kept). */
    @POST
    @Path("/images/{id}/explain")
    @Produces(MediaType.APPLICATION_JSON)
    public JobView explainWith(@PathParam("id") long id, @QueryParam("model") String model) {
        return library.explainWith(id, model);
    }

    @DELETE
    @Path("/images/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response delete(@PathParam("id") long id) {
        library.delete(id);
        return Response.noContent().build();
    }
}
