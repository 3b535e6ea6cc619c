package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.database.DatabaseRetry;
import org.sagstudy.database.EnumSql;
import org.sagstudy.problem.Conflict;
import org.sagstudy.problem.Gone;
import org.sagstudy.problem.Invalid;
import org.sagstudy.problem.NotFound;

/**
 * A participant's way through a started session, in PostgreSQL: where the session stands, the question at a
 * position, and answers. Everything a participant did is in the database, so a reload (or another device with the
 * same link) resumes where they were, and an answer is stored once per participant and item whatever the client
 * sends twice.
 */
@ApplicationScoped
public class Answering {

    /** The question at {@code position} (0-based) as this participant sees it. */
    public record Trial(int position, StudyItem item, boolean mirrored) {

        /** The item's option shown on {@code side} of this participant's screen. */
        public Side itemSide(Side side) {
            return mirrored ? side.other() : side;
        }
    }

    /** Where a session stands; {@code current} is empty when every question is answered. */
    public record State(long sessionId, long studyId, String token, Condition condition, SessionKind kind,
            boolean completed, boolean instructionsDone, int total, int answered, Optional<Trial> current) {
    }

    /** {@code stored} is false for a repeated answer (the first one stands). */
    public record Answered(boolean stored, boolean completed, Trial trial, Side chosenSide, boolean correct) {
    }

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    /**
     * A session's link works for 30 days from its start (longer than any study runs): a link found later in a browser
     * history or a log opens nothing.
     */
    private static final String LIVE = "started_at > now() - interval '30 days'";
    private final Jdbi jdbi;
    private final StudyCatalog catalog;
    private final StudyMetrics metrics;

    public Answering(Jdbi jdbi, StudyCatalog catalog, StudyMetrics metrics) {
        this.jdbi = jdbi;
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /**
     * Where the session stands. When {@code showing}, the same statement marks the current question as shown and the
     * session as seen (one round trip: this is the hottest request of a study).
     */
    public State state(String token, boolean showing) {
        return read(token, showing, false);
    }

    /**
     * Where the session stands, as the participant's page reads it: the session counts as seen, and the current
     * question as shown once the instructions are done (until then the page shows the instructions).
     */
    public State pageState(String token) {
        return read(token, true, true);
    }

    private State read(String token, boolean showing, boolean afterInstructions) {
        checkedToken(token);
        String session = showing ? """
                s AS (UPDATE participant_session SET last_seen_at = now() WHERE token = :token AND %s
                      RETURNING id, study_id, condition, kind, state, instructions_done_at)""" : """
                s AS (SELECT id, study_id, condition, kind, state, instructions_done_at FROM participant_session
                      WHERE token = :token AND %s)""";
        String shown = showing ? """
                , shown AS (UPDATE trial t SET shown_at = now() FROM next, s
                            WHERE t.session_id = next.session_id AND t.position = next.position
                              AND t.shown_at IS NULL""" + (afterInstructions ? " AND s.instructions_done_at IS NOT NULL"
                        : "") + ")" : "";
        String sql = "WITH " + session.formatted(LIVE) + """
                , next AS (SELECT t.session_id, t.position, t.item_id, t.mirrored FROM trial t JOIN s ON t.session_id = s.id
                           WHERE NOT EXISTS (SELECT 1 FROM answer a WHERE a.session_id = t.session_id
                                             AND a.item_id = t.item_id)
                           ORDER BY t.position LIMIT 1)""" + shown + """
                SELECT s.id, s.study_id, s.condition, s.kind, s.state,
                       s.instructions_done_at IS NOT NULL AS instructions_done,
                       (SELECT count(*) FROM trial t WHERE t.session_id = s.id) AS planned,
                       (SELECT count(*) FROM answer a WHERE a.session_id = s.id) AS answered,
                       next.position, next.item_id, next.mirrored
                FROM s LEFT JOIN next ON true""";
        return DatabaseRetry.once(jdbi, handle -> handle.createQuery(sql).bind("token", token)
                .map((row, context) -> {
                    long studyId = row.getLong("study_id");
                    Optional<Trial> current = Optional.empty();
                    if (row.getObject("position") != null) {
                        current = Optional.of(new Trial(row.getInt("position"),
                                catalog.item(studyId, row.getLong("item_id")), row.getBoolean("mirrored")));
                    }
                    return new State(row.getLong("id"), studyId, token,
                            Condition.byKey(row.getString("condition")).orElseThrow(),
                            SessionKind.byKey(row.getString("kind")),
                            SessionState.COMPLETED.key().equals(row.getString("state")),
                            row.getBoolean("instructions_done"), row.getInt("planned"), row.getInt("answered"),
                            current);
                }).findOne())
                .orElseThrow(() -> new NotFound("no such session (check the link)"));
    }

    /** A token as this class makes them; anything else names no session (and never reaches the database). */
    public static String checkedToken(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new NotFound("no such session (check the link)");
        }
        return token;
    }

    /**
     * The answer to the comprehension check after the instructions. Right: the instructions are done. Wrong: counted;
     * the second wrong answer flags the session and lets it go on. A session already past the instructions (a
     * resubmitted form) just goes on.
     */
    public ComprehensionCheck.Outcome answerComprehension(String token, boolean right) {
        checkedToken(token);
        if (right) {
            int updated = jdbi.withHandle(handle -> handle.createUpdate("""
                    UPDATE participant_session SET comprehension_passed_at = coalesce(comprehension_passed_at, now()),
                        instructions_done_at = coalesce(instructions_done_at, now()), last_seen_at = now()
                    WHERE token = :token AND %s""".formatted(LIVE)).bind("token", token).execute());
            if (updated == 0) {
                throw new NotFound("no such session (check the link)");
            }
            return ComprehensionCheck.Outcome.PASSED;
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                UPDATE participant_session SET comprehension_failures = comprehension_failures + 1,
                    flags = CASE WHEN comprehension_failures + 1 >= 2 THEN concat_ws(', ', flags, :flag) ELSE flags END,
                    instructions_done_at = CASE WHEN comprehension_failures + 1 >= 2 THEN now() END,
                    last_seen_at = now()
                WHERE token = :token AND instructions_done_at IS NULL AND %s
                RETURNING comprehension_failures""".formatted(LIVE))
                .bind("flag", ComprehensionCheck.FLAG).bind("token", token).mapTo(Integer.class).findOne())
                .map(failures -> failures >= 2 ? ComprehensionCheck.Outcome.FLAGGED
                        : ComprehensionCheck.Outcome.TRY_AGAIN)
                .orElse(ComprehensionCheck.Outcome.PASSED);
    }

    /**
     * The question at a position of the session's plan once it has been shown (the current one, or an answered
     * one); empty for questions still to come, so nobody can look ahead.
     */
    public Optional<Trial> trialAt(String token, int position) {
        checkedToken(token);
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT s.study_id, t.item_id, t.mirrored FROM participant_session s
                JOIN trial t ON t.session_id = s.id AND t.position = :position AND t.shown_at IS NOT NULL
                WHERE s.token = :token AND s.""" + LIVE).bind("position", position).bind("token", token)
                .map((row, context) -> new Trial(position, catalog.item(row.getLong("study_id"),
                        row.getLong("item_id")), row.getBoolean("mirrored"))).findOne());
    }

    /** The stored answer at a position, if any. */
    public Optional<Answered> answerAt(String token, int position) {
        checkedToken(token);
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT s.study_id, t.item_id, t.mirrored, a.chosen_side, a.correct, s.state FROM participant_session s
                JOIN trial t ON t.session_id = s.id AND t.position = :position
                JOIN answer a ON a.session_id = t.session_id AND a.item_id = t.item_id
                WHERE s.token = :token AND s.""" + LIVE).bind("position", position).bind("token", token)
                .map((row, context) -> {
                    Trial trial = new Trial(position, catalog.item(row.getLong("study_id"), row.getLong("item_id")),
                            row.getBoolean("mirrored"));
                    return new Answered(false, SessionState.COMPLETED.key().equals(row.getString("state")), trial,
                            Side.byKey(row.getString("chosen_side")).orElseThrow(), row.getBoolean("correct"));
                }).findOne());
    }

    /**
     * Stores an answer to the current question. A second answer to an answered question changes nothing and
     * reports {@code stored = false}; an answer to a later question than the current one is refused (409), and so is
     * a participant's answer once the study is no longer open (410: nobody can add data after the close).
     */
    public Answered answer(String token, AnswerInput answer) {
        checkedToken(token);
        // the answer's primary key makes a repeat harmless: a retry after a lost commit finds it stored
        Outcome outcome = DatabaseRetry.onceInTransaction(jdbi, handle -> answer(handle, token, answer));
        // counted once committed: an attempt that failed before its commit is not an answer
        if (outcome.answered().stored() && outcome.kind() != SessionKind.PREVIEW) {
            metrics.answered(outcome.studyId(), outcome.answered().completed());
        }
        return outcome.answered();
    }

    private record Outcome(Answered answered, long studyId, SessionKind kind) {
    }

    private Outcome answer(Handle handle, String token, AnswerInput answer) {
        lockSession(handle, token);
        QuestionState question = question(handle, token, answer.itemId());
        Trial trial = new Trial(question.position(), catalog.item(question.studyId(), answer.itemId()),
                question.mirrored());
        if (question.chosenSide() != null) {
            return new Outcome(new Answered(false, question.completed(), trial,
                    Side.byKey(question.chosenSide()).orElseThrow(), question.correct()), question.studyId(),
                    question.kind());
        }
        refuseUnlessCurrent(question);
        boolean correct = trial.itemSide(answer.side()) == trial.item().correctSide();
        boolean last = question.unanswered() == 1;
        insert(handle, question, trial, answer, correct, last);
        return new Outcome(new Answered(true, last, trial, answer.side(), correct), question.studyId(),
                question.kind());
    }

    /** The session's row lock alone first, so that the next statement sees an answer a concurrent request stored. */
    private static void lockSession(Handle handle, String token) {
        handle.createQuery("SELECT 1 FROM participant_session WHERE token = :token AND " + LIVE + " FOR UPDATE")
                .bind("token", token).mapTo(Integer.class).findOne()
                .orElseThrow(() -> new NotFound("no such session (check the link)"));
    }

    /** Where the session stands with one of its questions, as the answer needs it. */
    private record QuestionState(long sessionId, long studyId, boolean completed, int position, boolean mirrored,
            OffsetDateTime shownAt, String chosenSide, boolean correct, int firstUnanswered, int unanswered,
            SessionKind kind, long servedMs, boolean studyOpen) {
    }

    private static final RowMapper<QuestionState> QUESTION_ROW = ConstructorMapper.of(QuestionState.class);

    private static QuestionState question(Handle handle, String token, long itemId) {
        Optional<QuestionState> question = handle.createQuery(EnumSql.with("""
                SELECT s.id AS session_id, s.study_id, s.state = :completed AS completed, t.position, t.mirrored,
                       t.shown_at, a.chosen_side, coalesce(a.correct, false) AS correct,
                       unanswered.first AS first_unanswered, unanswered.n AS unanswered, s.kind,
                       (extract(epoch FROM clock_timestamp() - t.shown_at) * 1000)::bigint AS served_ms,
                       (SELECT state FROM study WHERE id = s.study_id) = :open AS study_open
                FROM participant_session s
                LEFT JOIN trial t ON t.session_id = s.id AND t.item_id = :itemId
                LEFT JOIN answer a ON a.session_id = t.session_id AND a.item_id = t.item_id
                CROSS JOIN LATERAL (
                    SELECT min(u.position) AS first, count(*) AS n FROM trial u WHERE u.session_id = s.id
                      AND NOT EXISTS (SELECT 1 FROM answer b WHERE b.session_id = u.session_id
                                      AND b.item_id = u.item_id)) unanswered
                WHERE s.token = :token""", SessionState.COMPLETED, StudyState.OPEN)).bind("itemId", itemId)
                .bind("token", token).map((row, context) -> row.getObject("position") == null
                        ? Optional.<QuestionState>empty() : Optional.of(QUESTION_ROW.map(row, context)))
                .findOne().orElseThrow(() -> new NotFound("no such session (check the link)"));
        return question.orElseThrow(() -> new Invalid("item " + itemId + " is not a question of this session"));
    }

    private static void refuseUnlessCurrent(QuestionState question) {
        if (question.kind() == SessionKind.PARTICIPANT && !question.studyOpen()) {
            // 410, not 409: the participant pages send a 409 back to the current question, which would loop
            throw new Gone("this study has closed and takes no more answers (the answers you gave before are kept)");
        }
        if (question.firstUnanswered() != question.position()) {
            throw new Conflict("answer question " + (question.firstUnanswered() + 1) + " first");
        }
        if (question.shownAt() == null) {
            throw new Conflict("this question has not been shown yet: ask for it first");
        }
    }

    /** The answer, and the session's last activity (and completion after its last question), in one statement. */
    private static void insert(Handle handle, QuestionState question, Trial trial, AnswerInput answer,
            boolean correct, boolean last) {
        handle.createUpdate(EnumSql.with("""
                WITH stored AS (
                    INSERT INTO answer (session_id, item_id, position, chosen_side, chosen_item_side, correct,
                        confidence_rating, shown_at, client_time, client_response_ms, response_ms)
                    VALUES (:sessionId, :itemId, :position, :chosenSide, :chosenItemSide, :correct,
                        CAST(:rating AS smallint), :shownAt, :clientTime, CAST(:clientResponseMs AS integer),
                        :responseMs)
                    RETURNING session_id)
                UPDATE participant_session SET last_seen_at = now(),
                    state = CASE WHEN :last THEN :completed ELSE state END,
                    completed_at = CASE WHEN :last THEN now() ELSE completed_at END
                WHERE id = (SELECT session_id FROM stored)""", SessionState.COMPLETED))
                .bind("sessionId", question.sessionId()).bind("itemId", trial.item().id())
                .bind("position", trial.position()).bind("chosenSide", answer.side())
                .bind("chosenItemSide", trial.itemSide(answer.side())).bind("correct", correct)
                .bind("rating", answer.rating()).bind("shownAt", question.shownAt())
                .bind("clientTime", answer.clientTime()).bind("clientResponseMs", answer.clientResponseMs())
                .bind("responseMs", responseMs(question, answer)).bind("last", last).execute();
    }

    /** The server's measure; a simulation (admins only) declares its own pace. */
    private static int responseMs(QuestionState question, AnswerInput answer) {
        if (question.kind() == SessionKind.SIMULATED && answer.clientResponseMs() != null) {
            return answer.clientResponseMs();
        }
        return (int) Math.min(Integer.MAX_VALUE, question.servedMs());
    }
}
