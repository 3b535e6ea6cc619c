package org.sagstudy.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.sagstudy.study.ExternalIds;
import org.sagstudy.study.ParticipantApi;
import org.sagstudy.study.ParticipantPages;
import org.sagstudy.study.Side;
import org.sagstudy.study.StudySessions;

/** The study API's flow inside the server, for the admin's "simulate" action: the same methods, no HTTP. */
@ApplicationScoped
public class InProcessStudyClient implements StudyClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StudySessions sessions;
    private final ParticipantApi api;
    private final ParticipantPages pages;

    public InProcessStudyClient(StudySessions sessions, ParticipantApi api, ParticipantPages pages) {
        this.sessions = sessions;
        this.api = api;
        this.pages = pages;
    }

    @Override
    public JsonNode start(long studyId, String externalId) {
        StudySessions.Started started = sessions.start(studyId, ExternalIds.from(Map.of("PROLIFIC_PID", externalId)),
                StudySessions.Kind.SIMULATED, null, "simulated");
        return JSON.valueToTree(Map.of("token", started.token(), "condition", started.condition().key()));
    }

    @Override
    public JsonNode next(String token) {
        return JSON.valueToTree(api.next(token));
    }

    @Override
    public JsonNode seen(String token, int position) {
        return JSON.valueToTree(pages.explanationData(token, position));
    }

    @Override
    public void answer(String token, long itemId, String side, int responseMs) {
        sessions.answer(token, new StudySessions.Answer(itemId, Side.byKey(side).orElseThrow(), null,
                java.time.OffsetDateTime.now(), responseMs));
    }
}
