package org.sagstudy.study;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.sagstudy.explain.PatchSet;

/**
 * The participant's pages, plain HTML forms that work without JavaScript (a small script adds keys and timing):
 * landing with consent, instructions with a worked example, practice with feedback, the trials, the end. Every page
 * is drawn from the database, so a reload shows where the participant is.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ParticipantPages {

    /** A hidden form field. */
    public record Field(String name, String value) {
    }

    /** A question as the page shows it: no patch set, confidence or correct side. */
    public record TrialView(String token, int itemId, int number, int total, int answered, boolean practice,
            String label, String question, String explanationUrl, String explanationAlt, String pictureClass,
            String leftUrl, String rightUrl, boolean askConfidence) {
    }

    /** The instructions' worked example, answer included. */
    public record ExampleView(String explanationUrl, String pictureClass, String leftUrl, String rightUrl,
            String label, String question, String answer) {
    }

    /** A practice answer with what the model said. */
    public record FeedbackView(String token, boolean correct, String leftUrl, String rightUrl, String leftPercent,
            String rightPercent, String chosen, String better) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing(String name, int studyId, String consent, List<Field> fields,
                boolean previewOnly);

        static native TemplateInstance instructions(String token, String condition, String instructions,
                String guidance, ExampleView example, boolean hasPractice);

        static native TemplateInstance trial(TrialView view);

        static native TemplateInstance feedback(FeedbackView view);

        static native TemplateInstance done(String code, String redirectUrl);

        static native TemplateInstance message(String title, String text);
    }

    private final StudySessions sessions;
    private final StudyCatalog catalog;
    private final StudyPictures pictures;

    public ParticipantPages(StudySessions sessions, StudyCatalog catalog, StudyPictures pictures) {
        this.sessions = sessions;
        this.catalog = catalog;
        this.pictures = pictures;
    }

    @ServerExceptionMapper
    public Response problem(StudyException e) {
        return Response.status(e.getResponse().getStatus()).type(MediaType.TEXT_HTML)
                .entity(Templates.message("Sorry", e.getMessage()).render()).build();
    }

    @GET
    @Path("studies/{id}")
    public TemplateInstance landing(@PathParam("id") long studyId, @Context UriInfo uri) {
        StudyCatalog.StudyInfo study = catalog.study(studyId)
                .orElseThrow(() -> StudyException.notFound("there is no such study (check the link)"));
        if (!study.isOpen()) {
            throw StudyException.conflict("this study is not taking participants at the moment");
        }
        Map<String, String> query = new HashMap<>();
        uri.getQueryParameters().forEach((key, values) -> query.put(key, values.get(0)));
        ExternalIds ids = ExternalIds.from(query);
        boolean previewOnly = ExternalIds.MTURK_PREVIEW.equals(query.get("assignmentId"));
        List<Field> fields = ids.asParameters().entrySet().stream().map(e -> new Field(e.getKey(), e.getValue()))
                .toList();
        return Templates.landing(study.name(), (int) studyId, Markdown.html(study.design().consent()), fields,
                previewOnly);
    }

    @POST
    @Path("studies/{id}/sessions")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(@PathParam("id") long studyId, MultivaluedMap<String, String> form,
            @Context HttpServerRequest request) {
        Map<String, String> fields = new HashMap<>();
        form.forEach((key, values) -> fields.put(key, values.get(0)));
        StudySessions.Started started = sessions.start(studyId, ExternalIds.from(fields),
                StudySessions.Kind.PARTICIPANT, null, request.getHeader("User-Agent"));
        return seeOther(TrialLinks.session(started.token()));
    }

    @GET
    @Path("p/{token}")
    public TemplateInstance current(@PathParam("token") String token) {
        StudySessions.State state = sessions.pageState(token);
        StudyDesign design = design(state);
        if (state.current().isEmpty()) {
            return Templates.done(design.completionCode(), blankToNull(design.redirectUrl()));
        }
        if (!state.instructionsDone()) {
            return instructions(state, design);
        }
        StudySessions.Trial trial = state.current().get();
        StudyCatalog.Item item = trial.item();
        String explanation = TrialLinks.explanation(token, trial.position(), state.condition());
        return Templates.trial(new TrialView(token, (int) item.id(), trial.position() + 1, state.total(),
                state.answered(), item.kind() == ItemBuilder.Kind.PRACTICE, item.shortLabel(),
                TrialLinks.question(item.shortLabel()),
                explanation == null ? TrialLinks.photo(token, trial.position()) : explanation,
                altText(state.condition()), pictureClass(state.condition()),
                TrialLinks.option(token, trial.position(), Side.LEFT),
                TrialLinks.option(token, trial.position(), Side.RIGHT), design.askConfidence()));
    }

    private TemplateInstance instructions(StudySessions.State state, StudyDesign design) {
        String token = state.token();
        ExampleView example = catalog.items(state.studyId()).values().stream()
                .filter(i -> i.kind() == ItemBuilder.Kind.EXAMPLE).findFirst()
                .map(item -> new ExampleView(TrialLinks.exampleExplanation(token, state.condition()),
                        pictureClass(state.condition()), TrialLinks.exampleOption(token, Side.LEFT),
                        TrialLinks.exampleOption(token, Side.RIGHT), item.shortLabel(), TrialLinks.question(item.shortLabel()),
                        String.format(Locale.ROOT, "The %s one. The program was %.0f%% confident on the left version "
                                + "and %.0f%% on the right one.", item.correctSide().key(),
                                100 * item.leftConfidence(), 100 * item.rightConfidence())))
                .orElse(null);
        boolean hasPractice = catalog.items(state.studyId()).values().stream()
                .anyMatch(i -> i.kind() == ItemBuilder.Kind.PRACTICE);
        return Templates.instructions(token, state.condition().title(), Markdown.html(design.instructions()),
                guidance(state.condition()), example, hasPractice);
    }

    @POST
    @Path("p/{token}/instructions")
    public Response instructionsRead(@PathParam("token") String token) {
        sessions.finishInstructions(token);
        return seeOther(TrialLinks.session(token));
    }

    /** A form answer; afterwards the participant sees practice feedback or the next page (even after a resubmit). */
    @POST
    @Path("p/{token}/answers")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response answer(@PathParam("token") String token, MultivaluedMap<String, String> form) {
        StudySessions.Answer answer = new StudySessions.Answer(
                ParticipantApi.requiredLong(form.getFirst("item"), "item"),
                Side.byKey(form.getFirst("side")).orElseThrow(
                        () -> StudyException.badRequest("choose the left or the right version")),
                ParticipantApi.rating(form.getFirst("rating")), ParticipantApi.clientTime(form.getFirst("clientTime")),
                ParticipantApi.responseMs(form.getFirst("responseMs")));
        StudySessions.Answered answered;
        try {
            answered = sessions.answer(token, answer);
        } catch (StudyException e) {
            if (e.getResponse().getStatus() == 409) {
                return seeOther(TrialLinks.session(token));
            }
            throw e;
        }
        if (answered.stored() && answered.trial().item().kind() == ItemBuilder.Kind.PRACTICE) {
            return seeOther(TrialLinks.session(token) + "/feedback/" + answered.trial().position());
        }
        return seeOther(TrialLinks.session(token));
    }

    @GET
    @Path("p/{token}/feedback/{position}")
    public Response feedback(@PathParam("token") String token, @PathParam("position") int position) {
        Optional<StudySessions.Answered> answered = sessions.answerAt(token, position)
                .filter(a -> a.trial().item().kind() == ItemBuilder.Kind.PRACTICE);
        if (answered.isEmpty()) {
            sessions.state(token, false);
            return seeOther(TrialLinks.session(token));
        }
        StudySessions.Trial trial = answered.get().trial();
        StudyCatalog.Item item = trial.item();
        Side better = item.correctSide() == trial.itemSide(Side.LEFT) ? Side.LEFT : Side.RIGHT;
        return Response.ok(Templates.feedback(new FeedbackView(token, answered.get().correct(),
                TrialLinks.option(token, position, Side.LEFT), TrialLinks.option(token, position, Side.RIGHT),
                percent(item.confidence(trial.itemSide(Side.LEFT))), percent(item.confidence(trial.itemSide(
                        Side.RIGHT))), answered.get().chosenSide().key(), better.key()))).build();
    }

    @GET
    @Path("p/{token}/trials/{position}/{name:left|right|photo}.jpg")
    @Produces("image/jpeg")
    public Response option(@PathParam("token") String token, @PathParam("position") int position,
            @PathParam("name") String name) {
        StudySessions.Trial trial = sessions.trialAt(token, position)
                .orElseThrow(() -> StudyException.notFound("no such question"));
        PatchSet patches = name.equals("photo") ? PatchSet.all(49)
                : trial.item().patches(trial.itemSide(Side.byKey(name).orElseThrow()));
        return picture(pictures.patches(trial.item().imageId(), patches));
    }

    @GET
    @Path("p/{token}/trials/{position}/explanation.{extension:png|svg}")
    @Produces({"image/png", "image/svg+xml"})
    public Response explanation(@PathParam("token") String token, @PathParam("position") int position) {
        StudySessions.State state = sessions.state(token, false);
        StudySessions.Trial trial = sessions.trialAt(token, position)
                .orElseThrow(() -> StudyException.notFound("no such question"));
        return picture(pictures.explanation(trial.item(), state.condition(), design(state)));
    }

    /** The explanation of a question as data (what its picture shows). */
    @GET
    @Path("p/{token}/trials/{position}/explanation.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> explanationData(@PathParam("token") String token, @PathParam("position") int position) {
        StudySessions.State state = sessions.state(token, false);
        StudySessions.Trial trial = sessions.trialAt(token, position)
                .orElseThrow(() -> StudyException.notFound("no such question"));
        return pictures.seen(trial.item(), state.condition(), design(state));
    }

    @GET
    @Path("p/{token}/example/{name:left|right|photo}.jpg")
    @Produces("image/jpeg")
    public Response exampleOption(@PathParam("token") String token, @PathParam("name") String name) {
        StudyCatalog.Item item = example(sessions.state(token, false));
        PatchSet patches = name.equals("photo") ? PatchSet.all(49) : item.patches(Side.byKey(name).orElseThrow());
        return picture(pictures.patches(item.imageId(), patches));
    }

    @GET
    @Path("p/{token}/example/explanation.{extension:png|svg}")
    @Produces({"image/png", "image/svg+xml"})
    public Response exampleExplanation(@PathParam("token") String token) {
        StudySessions.State state = sessions.state(token, false);
        return picture(pictures.explanation(example(state), state.condition(), design(state)));
    }

    private StudyCatalog.Item example(StudySessions.State state) {
        return catalog.items(state.studyId()).values().stream().filter(i -> i.kind() == ItemBuilder.Kind.EXAMPLE)
                .findFirst().orElseThrow(() -> StudyException.notFound("this study has no worked example"));
    }

    private StudyDesign design(StudySessions.State state) {
        return catalog.study(state.studyId()).orElseThrow().design();
    }

    private static Response picture(Optional<StudyPictures.Picture> picture) {
        return picture.map(p -> Response.ok(p.bytes(), p.type()).header("Cache-Control", "private, max-age=86400")
                .build()).orElseThrow(() -> StudyException.notFound("no such picture"));
    }

    private static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String percent(double confidence) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * confidence);
    }

    static String pictureClass(Condition condition) {
        return condition == Condition.SAG ? "sag-picture" : "photo-picture";
    }

    static String altText(Condition condition) {
        return switch (condition) {
            case GRADCAM, IGOS -> "The photo with a heat map: red where the program looked most";
            case SAG -> "Structured attention graph: small parts of the photo that are each enough for the program";
            case NONE -> "The photo";
        };
    }

    static String guidance(Condition condition) {
        return switch (condition) {
            case GRADCAM, IGOS -> "Before each question you see the photo with a heat map. Red and yellow mark the "
                    + "parts the program relied on most, blue the parts it hardly used. A version that keeps the red "
                    + "parts visible will usually keep the program confident.";
            case SAG -> "Before each question you see a graph of small parts of the photo. Each box in the top row "
                    + "is a set of patches that alone is enough for the program, with how confident it stays in "
                    + "percent. Each line down removes one patch (outlined in red) and shows the confidence left: a "
                    + "dark box means the program lost most of its confidence.";
            case NONE -> "You will see the photo itself before each question; judge from what it shows.";
        };
    }
}
