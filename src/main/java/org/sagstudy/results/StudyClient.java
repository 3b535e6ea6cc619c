package org.sagstudy.results;

import org.sagstudy.study.QuestionView;
import org.sagstudy.study.SeenExplanation;

/**
 * The participant flow as simulated participants use it: the study API ({@code POST /api/studies/{id}/sessions},
 * {@code GET /api/sessions/{token}/next}, the question's explanation data, {@code POST
 * /api/sessions/{token}/answers}), over HTTP or in the server's process.
 */
public interface StudyClient {

    /** A started session. */
    record Session(String token, String condition) {
    }

    /** Starts a simulated session. */
    Session start(long studyId, String externalId);

    QuestionView next(String token);

    /** The explanation data a question links to ({@code explanationData}). */
    SeenExplanation seen(String token, int position);

    void answer(String token, long itemId, String side, int responseMs);

    /**
     * The side an attentive person takes on an attention check (the view that shows the object), when this client
     * can tell that the question is one; empty otherwise (a client over HTTP sees what a participant sees).
     */
    default java.util.Optional<String> attentiveAnswer(String token, QuestionView question) {
        return java.util.Optional.empty();
    }
}
