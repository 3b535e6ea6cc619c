package org.sagstudy.results;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The participant flow as simulated participants use it: the JSON of the study API ({@code POST
 * /api/studies/{id}/sessions}, {@code GET /api/sessions/{token}/next}, the question's explanation data, {@code POST
 * /api/sessions/{token}/answers}), over HTTP or in the server's process.
 */
public interface StudyClient {

    /** Starts a simulated session; the answer has {@code token} and {@code condition}. */
    JsonNode start(long studyId, String externalId);

    JsonNode next(String token);

    /** The explanation data a question links to ({@code explanationData}). */
    JsonNode seen(String token, int position);

    void answer(String token, long itemId, String side, int responseMs);
}
