package org.sagstudy.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.sagstudy.study.ExternalIds;
import org.sagstudy.study.ParticipantApi;
import org.sagstudy.study.Side;
import org.sagstudy.study.StudyCatalog;
import org.sagstudy.study.StudyException;
import org.sagstudy.study.StudyPictures;
import org.sagstudy.study.StudySessions;

/** The study API's flow inside the server, for the admin's "simulate" action: the same services, no HTTP. */
@ApplicationScoped
public class InProcessStudyClient implements StudyClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StudySessions sessions;
    private final ParticipantApi api;
    private final StudyPictures pictures;
    private final StudyCatalog catalog;

    public InProcessStudyClient(StudySessions sessions, ParticipantApi api, StudyPictures pictures,
            StudyCatalog catalog) {
        this.sessions = sessions;
        this.api = api;
        this.pictures = pictures;
        this.catalog = catalog;
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
        StudySessions.State state = sessions.state(token, false);
        StudySessions.Trial trial = sessions.trialAt(token, position)
                .orElseThrow(() -> StudyException.notFound("no such question"));
        return JSON.valueToTree(pictures.seen(trial.item(), state.condition(),
                catalog.study(state.studyId()).orElseThrow().design()));
    }

    @Override
    public void answer(String token, long itemId, String side, int responseMs) {
        sessions.answer(token, new StudySessions.Answer(itemId, Side.byKey(side).orElseThrow(), null,
                java.time.OffsetDateTime.now(), responseMs));
    }
}
