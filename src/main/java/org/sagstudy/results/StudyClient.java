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
}
