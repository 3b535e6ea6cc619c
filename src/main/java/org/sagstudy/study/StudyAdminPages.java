package org.sagstudy.study;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.http.Roles;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.problem.Invalid;

/** The experimenter's study pages: list, create, edit a draft, open and close, preview each condition. */
@Path("/admin/studies")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
public class StudyAdminPages {

    public record ConditionOption(String key, String title, boolean checked) {
    }

    public record PhotoOption(long id, String fileName, String label, String pFull, String trueLabel,
            boolean correct, String role) {
    }

    /** A question kind and its share in the design's mix. */
    public record KindOption(String key, String forSagReaders, double share) {
    }

    /** The study page: the study, the photos it may use, its participant links, and what power planning starts from. */
    public record StudyPage(StudyEditor.StudyDetail study, List<ConditionOption> conditions, List<PhotoOption> photos,
            List<KindOption> kinds, long trialQuestions, String link, String prolificLink, List<ModelOption> models,
            List<StudyAccess.Member> members) {
    }

    /** A configured model the study can use; {@code chosen} for the study's. */
    public record ModelOption(String name, String sha256, boolean chosen) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance studies(List<StudyEditor.StudySummary> studies);

        static native TemplateInstance study(StudyPage view);
    }

    private final StudyEditor editor;
    private final StudyProtocols protocols;
    private final Assignment assignment;
    private final StudyCatalog catalog;
    private final Explanations explanations;
    private final StudyAccess access;
    private final SecurityIdentity identity;
    private final StudyModels studyModels;
    private final ModelRegistry models;

    public StudyAdminPages(StudyEditor editor, StudyProtocols protocols, Assignment assignment, StudyCatalog catalog,
            Explanations explanations, StudyAccess access, SecurityIdentity identity, StudyModels studyModels,
            ModelRegistry models) {
        this.studyModels = studyModels;
        this.models = models;
        this.access = access;
        this.identity = identity;
        this.editor = editor;
        this.protocols = protocols;
        this.assignment = assignment;
        this.catalog = catalog;
        this.explanations = explanations;
    }

    @GET
    @Path("/{id}/protocol")
    @Produces(MediaType.APPLICATION_JSON)
    public Response protocol(@PathParam("id") long id) {
        return Response.ok(protocols.export(id))
                .header("Content-Disposition", "attachment; filename=\"study-" + id + "-protocol.json\"").build();
    }

    @POST
    @Path("/import")
    @Produces(MediaType.APPLICATION_JSON)
    public Response importProtocol(StudyProtocols.Protocol protocol) throws ModelFolder.InvalidModelException {
        long id = protocols.importProtocol(protocol);
        access.makeOwner(id, identity);
        return Response.status(201).entity(editor.detail(id)).build();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        Predicate<Long> visible = access.visibleTo(identity);
        return Templates.studies(editor.list().stream().filter(s -> visible.test(s.id())).toList());
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(StudyEditor.StudyRequest body) {
        StudyEditor.StudyDetail created = editor.create(body);
        access.makeOwner(created.id(), identity);
        return Response.status(201).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@PathParam("id") long id, @Context HttpServerRequest request) {
        StudyEditor.StudyDetail study = editor.detail(id);
        StudyDesign design = study.design();
        List<ConditionOption> conditions = Arrays.stream(Condition.values())
                .map(c -> new ConditionOption(c.key(), c.title(), design.conditions().contains(c.key()))).toList();
        Optional<ModelFolder> model = studyModels.modelOf(design);
        List<ModelOption> modelOptions = models.available().stream().map(m -> new ModelOption(m.name(), m.sha256(),
                model.isPresent() && model.get().sha256().equals(m.sha256()))).toList();
        // the photos the study's model explained (none while that model is not here)
        List<PhotoOption> photos = explanations.explainedPhotos(model.map(ModelFolder::sha256).orElse(""))
                .stream().map(p -> new PhotoOption(p.imageId(),
                p.fileName(), p.label(), String.format(Locale.ROOT, "%.2f", p.pFull()),
                p.trueLabel() == null ? "unknown" : p.trueLabel(), p.correct(),
                design.imageIds().contains(p.imageId()) ? "trial"
                        : design.practiceImageIds().contains(p.imageId()) ? "practice" : "")).toList();
        List<KindOption> kinds = QuestionKind.MIXABLE.stream().map(k -> new KindOption(k.key(), k.forSagReaders(),
                design.questionKinds().getOrDefault(k.key(), 0.0))).toList();
        long trialQuestions = study.items().stream().filter(i -> i.kind() == ItemKind.TRIAL).count();
        String link = request.scheme() + "://" + request.authority() + study.link();
        return Templates.study(new StudyPage(study, conditions, photos, kinds, trialQuestions, link,
                link + "?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}",
                modelOptions, access.members(id)));
    }

    @POST
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public StudyEditor.StudyDetail save(@PathParam("id") long id, StudyEditor.StudyRequest body) {
        return editor.update(id, body);
    }

    @POST
    @Path("/{id}/{action:open|close}")
    @Produces(MediaType.APPLICATION_JSON)
    public StudyEditor.StudyDetail change(@PathParam("id") long id, @PathParam("action") String action) {
        return editor.change(id, action);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        editor.delete(id);
        return Response.noContent().build();
    }

    /** Where a preview session's pages start. */
    public record Preview(String page) {
    }

    /** Starts a preview session in a condition (kept out of results and assignment); the page opens it. */
    @POST
    @Path("/{id}/preview/{condition}")
    @Produces(MediaType.APPLICATION_JSON)
    public Preview preview(@PathParam("id") long id, @PathParam("condition") String conditionKey,
            @Context HttpServerRequest request) {
        Condition condition = Condition.byKey(conditionKey)
                .filter(c -> catalog.study(id).map(st -> st.design().conditionList().contains(c)).orElse(false))
                .orElseThrow(() -> new Invalid("the study has no condition " + conditionKey));
        Assignment.Started started = assignment.start(id, new Assignment.StartRequest(ExternalIds.anonymous(),
                SessionKind.PREVIEW, condition, request.getHeader("User-Agent"), null));
        return new Preview(TrialLinks.session(started.token()));
    }
}
