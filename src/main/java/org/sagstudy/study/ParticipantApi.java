package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The participant flow as JSON, for automation and load tests: the next question, and answers to it (a session
 * starts at {@link SessionStartApi}). No answer key and no confidence is in a question; practice answers get their
 * feedback after they are stored.
 */
@Path("/api/sessions/{token}")
@Produces(MediaType.APPLICATION_JSON)
public class ParticipantApi {

    /** What an answer did: {@code stored} false (and {@code duplicate}) for a repeat; feedback for practice. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AnswerResult(boolean stored, boolean duplicate, boolean completed, Feedback feedback) {
    }

    /** A practice answer's feedback: whether it was right and what the model said on each side as shown. */
    public record Feedback(boolean correct, double leftConfidence, double rightConfidence) {
    }

    private final Questions questions;
    private final Answering answering;

    public ParticipantApi(Questions questions, Answering answering) {
        this.questions = questions;
        this.answering = answering;
    }

    @GET
    @Path("/next")
    public QuestionView next(@PathParam("token") String token) {
        return questions.next(token);
    }

    /**
     * Body: {@code itemId}, {@code side} (left or right as shown), optional {@code rating} (1-5), {@code clientTime}
     * (ISO-8601 or epoch milliseconds) and {@code responseMs}.
     */
    @POST
    @Path("/answers")
    public Response answer(@PathParam("token") String token, AnswerInput.Body body) {
        Answering.Answered answered = answering.answer(token, AnswerInput.of(body));
        Answering.Trial trial = answered.trial();
        Feedback feedback = trial.item().kind() != ItemKind.PRACTICE ? null : new Feedback(answered.correct(),
                trial.item().confidence(trial.itemSide(Side.LEFT)), trial.item().confidence(trial.itemSide(Side.RIGHT)));
        return Response.status(answered.stored() ? 201 : 200)
                .entity(new AnswerResult(answered.stored(), !answered.stored(), answered.completed(), feedback)).build();
    }
}
