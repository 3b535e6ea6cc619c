package org.sagstudy.study;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.sagstudy.problem.Conflict;

/**
 * A session's pages, plain HTML forms that work without JavaScript (a small script adds keys and timing):
 * instructions with a worked example, practice with feedback, the trials, the end. Every page is drawn from the
 * database, so a reload shows where the participant is.
 */
@Path("/p/{token}")
@Produces(MediaType.TEXT_HTML)
public class ParticipantPages {

    /** A question as the page shows it: no patch set, confidence or correct side. */
    public record TrialView(String token, long itemId, int number, int total, int answered, boolean practice,
            String label, String question, String explanationUrl, String explanationAlt, String pictureClass,
            String leftUrl, String rightUrl, boolean askConfidence) {
    }

    /** The instructions' worked example, answer included. */
    public record ExampleView(String explanationUrl, String pictureClass, String leftUrl, String rightUrl,
            String question, String answer) {
    }

    /** A practice answer with what the model said. */
    public record FeedbackView(String token, boolean correct, String leftUrl, String rightUrl, long leftPercent,
            long rightPercent, String chosen, String better) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance instructions(String token, String instructions, String guidance,
                ExampleView example, boolean hasPractice, ComprehensionCheck check, String feedback);

        static native TemplateInstance trial(TrialView view);

        static native TemplateInstance feedback(FeedbackView view);

        static native TemplateInstance done(CompletionCodes.Ending ending);
    }

    private final Answering answering;
    private final Questions questions;
    private final StudyCatalog catalog;
    private final StudyMessages messages;

    private final CompletionCodes completionCodes;

    public ParticipantPages(Answering answering, Questions questions, StudyCatalog catalog, StudyMessages messages,
            CompletionCodes completionCodes) {
        this.completionCodes = completionCodes;
        this.answering = answering;
        this.questions = questions;
        this.catalog = catalog;
        this.messages = messages;
    }

    /** The page the session is at; {@code retry} (after a wrong comprehension answer) shows why it was wrong. */
    @GET
    public TemplateInstance current(@PathParam("token") String token, @QueryParam("retry") String retry) {
        Answering.State state = answering.pageState(token);
        StudyDesign design = design(state);
        if (state.current().isEmpty()) {
            return Templates.done(completionCodes.ending(state.sessionId(), design));
        }
        if (!state.instructionsDone()) {
            return instructions(state, design, retry == null ? null
                    : messages.comprehension_wrong(ComprehensionCheck.of(state.condition(), messages).why()));
        }
        Answering.Trial trial = state.current().get();
        StudyItem item = trial.item();
        String explanation = TrialLinks.explanation(token, trial.position(), state.condition());
        return Templates.trial(new TrialView(token, item.id(), trial.position() + 1, state.total(),
                state.answered(), item.kind() == ItemKind.PRACTICE, item.shortLabel(), questions.text(item),
                explanation == null ? TrialLinks.photo(token, trial.position()) : explanation,
                altText(state.condition()), pictureClass(state.condition()),
                TrialLinks.option(token, trial.position(), Side.LEFT),
                TrialLinks.option(token, trial.position(), Side.RIGHT), design.askConfidence()));
    }

    private TemplateInstance instructions(Answering.State state, StudyDesign design, String feedback) {
        String token = state.token();
        ExampleView example = catalog.example(state.studyId())
                .map(item -> new ExampleView(TrialLinks.exampleExplanation(token, state.condition()),
                        pictureClass(state.condition()), TrialLinks.exampleOption(token, Side.LEFT),
                        TrialLinks.exampleOption(token, Side.RIGHT), questions.text(item),
                        messages.example_answer(item.correctSide().key(), Math.round(100 * item.leftConfidence()),
                                Math.round(100 * item.rightConfidence()))))
                .orElse(null);
        boolean hasPractice = catalog.items(state.studyId()).values().stream()
                .anyMatch(i -> i.kind() == ItemKind.PRACTICE);
        return Templates.instructions(token, Markdown.html(design.instructions()), guidance(state.condition()),
                example, hasPractice, ComprehensionCheck.of(state.condition(), messages), feedback);
    }

    /** The comprehension check's answer: on to the practice, or the instructions again with why (see the check). */
    @POST
    @Path("/instructions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response instructionsRead(@PathParam("token") String token, MultivaluedMap<String, String> form) {
        Answering.State state = answering.pageState(token);
        String choice = form == null ? null : form.getFirst("comprehension");
        if (state.instructionsDone()) {
            return seeOther(TrialLinks.session(token));
        }
        if (choice == null || choice.isBlank()) {
            return Response.status(400).entity(instructions(state, design(state), messages.comprehension_missing()))
                    .type(MediaType.TEXT_HTML).build();
        }
        ComprehensionCheck check = ComprehensionCheck.of(state.condition(), messages);
        return switch (answering.answerComprehension(token, check.answer().equals(choice.trim()))) {
            case PASSED, FLAGGED -> seeOther(TrialLinks.session(token));
            // a redirect, so that reloading the page does not send the wrong answer a second time
            case TRY_AGAIN -> seeOther(TrialLinks.session(token) + "?retry=1");
        };
    }

    /** A form answer; afterwards the participant sees practice feedback or the next page (even after a resubmit). */
    @POST
    @Path("/answers")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response answer(@PathParam("token") String token, MultivaluedMap<String, String> form) {
        AnswerInput answer = AnswerInput.ofForm(form.getFirst("item"), form.getFirst("side"), form.getFirst("rating"),
                form.getFirst("clientTime"), form.getFirst("responseMs"));
        Answering.Answered answered;
        try {
            answered = answering.answer(token, answer);
        } catch (Conflict e) {
            return seeOther(TrialLinks.session(token));
        }
        if (answered.stored() && answered.trial().item().kind() == ItemKind.PRACTICE) {
            return seeOther(TrialLinks.feedback(token, answered.trial().position()));
        }
        return seeOther(TrialLinks.session(token));
    }

    @GET
    @Path("/feedback/{position}")
    public Response feedback(@PathParam("token") String token, @PathParam("position") int position) {
        Optional<Answering.Answered> answered = answering.answerAt(token, position)
                .filter(a -> a.trial().item().kind() == ItemKind.PRACTICE);
        if (answered.isEmpty()) {
            answering.state(token, false);
            return seeOther(TrialLinks.session(token));
        }
        Answering.Trial trial = answered.get().trial();
        StudyItem item = trial.item();
        Side better = item.correctSide() == trial.itemSide(Side.LEFT) ? Side.LEFT : Side.RIGHT;
        return Response.ok(Templates.feedback(new FeedbackView(token, answered.get().correct(),
                TrialLinks.option(token, position, Side.LEFT), TrialLinks.option(token, position, Side.RIGHT),
                Math.round(100 * item.confidence(trial.itemSide(Side.LEFT))),
                Math.round(100 * item.confidence(trial.itemSide(Side.RIGHT))), answered.get().chosenSide().key(),
                better.key()))).build();
    }

    private StudyDesign design(Answering.State state) {
        return catalog.existing(state.studyId()).design();
    }

    private static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    private static String pictureClass(Condition condition) {
        return condition == Condition.SAG ? "sag-picture" : "photo-picture";
    }

    private String altText(Condition condition) {
        return switch (condition) {
            case GRADCAM, IGOS -> messages.alt_heat_map();
            case SAG -> messages.alt_sag();
            case NONE -> messages.alt_photo();
        };
    }

    private String guidance(Condition condition) {
        return condition.guidance(messages);
    }
}
