package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.study.AnswerInput;
import org.sagstudy.study.Answering;
import org.sagstudy.study.Assignment;
import org.sagstudy.study.ExternalIds;
import org.sagstudy.study.ItemKind;
import org.sagstudy.study.QuestionView;
import org.sagstudy.study.Questions;
import org.sagstudy.study.SeenExplanation;
import org.sagstudy.study.SessionKind;
import org.sagstudy.study.Side;

/** The study API's flow inside the server, for the admin's "simulate" action: the same services, no HTTP. */
@ApplicationScoped
public class InProcessStudyClient implements StudyClient {

    private final Assignment assignment;
    private final Questions questions;
    private final Answering answering;

    public InProcessStudyClient(Assignment assignment, Questions questions, Answering answering) {
        this.assignment = assignment;
        this.questions = questions;
        this.answering = answering;
    }

    @Override
    public Session start(long studyId, String externalId) {
        Assignment.Started started = assignment.start(studyId, Assignment.StartRequest.of(
                ExternalIds.from(Map.of("PROLIFIC_PID", externalId)), SessionKind.SIMULATED, "simulated", null));
        return new Session(started.token(), started.condition().key());
    }

    @Override
    public QuestionView next(String token) {
        return questions.next(token);
    }

    @Override
    public SeenExplanation seen(String token, int position) {
        return questions.seen(token, position);
    }

    @Override
    public Optional<String> attentiveAnswer(String token, QuestionView question) {
        return answering.trialAt(token, question.position()).filter(t -> t.item().kind() == ItemKind.ATTENTION)
                .map(t -> t.itemSide(Side.LEFT) == t.item().correctSide() ? "left" : "right");
    }

    @Override
    public void answer(String token, long itemId, String side, int responseMs) {
        answering.answer(token, new AnswerInput(itemId, Side.byKey(side).orElseThrow(), null, OffsetDateTime.now(),
                responseMs));
    }
}
