package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A participant's way through a study, in PostgreSQL: start (balanced assignment, the plan drawn from a stored seed),
 * the next question, answers. Everything a participant did is in the database, so a reload (or another device with
 * the same link) resumes where they were, and an answer is stored once per participant and item whatever the client
 * sends twice.
 */
@ApplicationScoped
public class StudySessions {

    public enum Kind {
        PARTICIPANT, PREVIEW, SIMULATED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Started(String token, Condition condition, boolean resumed) {
    }

    /** The question at {@code position} (0-based) as this participant sees it. */
    public record Trial(int position, StudyCatalog.Item item, boolean mirrored) {

        /** The item's option shown on {@code side} of this participant's screen. */
        public Side itemSide(Side side) {
            return mirrored ? side.other() : side;
        }
    }

    /** Where a session stands; {@code current} is empty when every question is answered. */
    public record State(long sessionId, long studyId, String token, Condition condition, Kind kind,
            boolean completed, boolean instructionsDone, int total, int answered, Optional<Trial> current) {
    }

    /** {@code stored} is false for a repeated answer (the first one stands). */
    public record Answered(boolean stored, boolean completed, Trial trial, Side chosenSide, boolean correct) {
    }

    /** What the participant sends with an answer. */
    public record Answer(long itemId, Side side, Integer rating, OffsetDateTime clientTime,
            Integer clientResponseMs) {
    }

    private static final int ASSIGNMENT_LOCK = 0x5A6;
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private final SecureRandom random = new SecureRandom();
    private final DataSource dataSource;
    private final StudyCatalog catalog;

    public StudySessions(DataSource dataSource, StudyCatalog catalog) {
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /**
     * Starts a session, or returns the one this external id already has. A participant or simulated session takes
     * the condition with the fewest sessions of its kind (completed, or active within the study's timeout); a preview
     * takes {@code previewCondition}.
     */
    @Transactional
    public Started start(long studyId, ExternalIds ids, Kind kind, Condition previewCondition, String userAgent) {
        StudyCatalog.StudyInfo study = catalog.study(studyId)
                .orElseThrow(() -> StudyException.notFound("no study " + studyId));
        try (Connection c = dataSource.getConnection()) {
            return start(c, study, ids, kind, previewCondition, userAgent);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start a session: " + e.getMessage(), e);
        }
    }

    /**
     * Everything that needs no lock is prepared first (seed, token, plan); under the study's assignment lock one
     * statement checks the study and the external id, and one counts the conditions and inserts the session with
     * its plan.
     */
    private Started start(Connection c, StudyCatalog.StudyInfo study, ExternalIds ids, Kind kind,
            Condition previewCondition, String userAgent) throws SQLException {
        List<SessionPlan.PlanItem> items = catalog.items(study.id()).values().stream()
                .map(i -> new SessionPlan.PlanItem(i.id(), i.kind(), i.imageId(), i.correctSide())).toList();
        if (items.stream().noneMatch(i -> i.kind() == ItemBuilder.Kind.TRIAL)) {
            throw StudyException.conflict("this study has no questions yet (see its problems on the study page)");
        }
        long seed = random.nextLong();
        byte[] tokenBytes = new byte[24];
        random.nextBytes(tokenBytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
        List<SessionPlan.Trial> plan = SessionPlan.draw(items, seed);
        Integer[] positions = new Integer[plan.size()];
        Long[] itemIds = new Long[plan.size()];
        Boolean[] mirrored = new Boolean[plan.size()];
        for (int i = 0; i < plan.size(); i++) {
            positions[i] = i;
            itemIds[i] = plan.get(i).itemId();
            mirrored[i] = plan.get(i).mirrored();
        }
        List<Condition> candidates = kind == Kind.PREVIEW ? List.of(previewCondition)
                : study.design().conditionList();

        // the lock alone first: the next statements' snapshots then see every session committed before it
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, ASSIGNMENT_LOCK);
            lock.setInt(2, (int) study.id());
            lock.execute();
        }
        try (PreparedStatement check = c.prepareStatement("""
                SELECT (SELECT state FROM study WHERE id = ?), existing.token, existing.condition
                FROM (SELECT 1) one LEFT JOIN participant_session existing
                  ON existing.study_id = ? AND existing.platform = ? AND existing.external_id = ?
                 AND existing.kind = 'participant' AND ?""")) {
            check.setLong(1, study.id());
            check.setLong(2, study.id());
            check.setString(3, ids.platform());
            check.setString(4, ids.externalId());
            check.setBoolean(5, kind == Kind.PARTICIPANT);
            try (ResultSet row = check.executeQuery()) {
                row.next();
                String state = row.getString(1);
                if (kind != Kind.PREVIEW && !"open".equals(state)) {
                    throw StudyException.conflict("this study is not open for participants (it is " + state + ")");
                }
                if (row.getString(2) != null) {
                    return new Started(row.getString(2), Condition.byKey(row.getString(3)).orElseThrow(), true);
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("""
                WITH chosen AS (
                    SELECT c.condition FROM unnest(?::text[]) AS c(condition)
                    LEFT JOIN participant_session s ON s.study_id = ? AND s.kind = ? AND s.condition = c.condition
                         AND (s.state = 'completed' OR s.last_seen_at > now() - make_interval(mins => ?))
                    GROUP BY c.condition ORDER BY count(s.id), random() LIMIT 1),
                session AS (
                    INSERT INTO participant_session (study_id, token, condition, kind, platform, external_id,
                        external_study, external_session, seed, user_agent)
                    SELECT ?, ?, chosen.condition, ?, ?, ?, ?, ?, ?, ? FROM chosen RETURNING id, condition),
                planned AS (
                    INSERT INTO trial (session_id, position, item_id, mirrored)
                    SELECT session.id, plan.position, plan.item_id, plan.mirrored
                    FROM session, unnest(?::int[], ?::bigint[], ?::boolean[]) AS plan(position, item_id, mirrored))
                SELECT condition FROM session""")) {
            insert.setArray(1, c.createArrayOf("text", candidates.stream().map(Condition::key).toArray()));
            insert.setLong(2, study.id());
            insert.setString(3, kind.key());
            insert.setInt(4, study.design().activeMinutes());
            insert.setLong(5, study.id());
            insert.setString(6, token);
            insert.setString(7, kind.key());
            insert.setString(8, ids.platform());
            insert.setString(9, ids.externalId());
            insert.setString(10, ids.externalStudy());
            insert.setString(11, ids.externalSession());
            insert.setLong(12, seed);
            insert.setString(13, userAgent == null ? null : userAgent.substring(0, Math.min(500, userAgent.length())));
            insert.setArray(14, c.createArrayOf("int4", positions));
            insert.setArray(15, c.createArrayOf("int8", itemIds));
            insert.setArray(16, c.createArrayOf("bool", mirrored));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return new Started(token, Condition.byKey(row.getString(1)).orElseThrow(), false);
            }
        }
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
                s AS (UPDATE participant_session SET last_seen_at = now() WHERE token = ?
                      RETURNING id, study_id, condition, kind, state, instructions_done_at)""" : """
                s AS (SELECT id, study_id, condition, kind, state, instructions_done_at FROM participant_session
                      WHERE token = ?)""";
        String shown = showing ? """
                , shown AS (UPDATE trial t SET shown_at = now() FROM next, s
                            WHERE t.session_id = next.session_id AND t.position = next.position
                              AND t.shown_at IS NULL""" + (afterInstructions ? " AND s.instructions_done_at IS NOT NULL"
                        : "") + ")" : "";
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("WITH "
                + session + """
                , next AS (SELECT t.session_id, t.position, t.item_id, t.mirrored FROM trial t JOIN s ON t.session_id = s.id
                           WHERE NOT EXISTS (SELECT 1 FROM answer a WHERE a.session_id = t.session_id
                                             AND a.item_id = t.item_id)
                           ORDER BY t.position LIMIT 1)""" + shown + """
                SELECT s.id, s.study_id, s.condition, s.kind, s.state, s.instructions_done_at IS NOT NULL,
                       (SELECT count(*) FROM trial t WHERE t.session_id = s.id),
                       (SELECT count(*) FROM answer a WHERE a.session_id = s.id),
                       next.position, next.item_id, next.mirrored
                FROM s LEFT JOIN next ON true""")) {
            query.setString(1, token);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw StudyException.notFound("no such session (check the link)");
                }
                long studyId = row.getLong(2);
                Optional<Trial> current = Optional.empty();
                if (row.getObject(9) != null) {
                    current = Optional.of(new Trial(row.getInt(9), item(studyId, row.getLong(10)),
                            row.getBoolean(11)));
                }
                return new State(row.getLong(1), studyId, token, Condition.byKey(row.getString(3)).orElseThrow(),
                        Kind.valueOf(row.getString(4).toUpperCase(Locale.ROOT)), "completed".equals(row.getString(5)),
                        row.getBoolean(6), row.getInt(7), row.getInt(8), current);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the session: " + e.getMessage(), e);
        }
    }

    /** A token as this class makes them; anything else names no session (and never reaches the database). */
    public static String checkedToken(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw StudyException.notFound("no such session (check the link)");
        }
        return token;
    }

    private StudyCatalog.Item item(long studyId, long itemId) {
        StudyCatalog.Item item = catalog.items(studyId).get(itemId);
        if (item == null) {
            throw new IllegalStateException("item " + itemId + " of study " + studyId + " is missing");
        }
        return item;
    }

    public void finishInstructions(String token) {
        checkedToken(token);
        update("UPDATE participant_session SET instructions_done_at = coalesce(instructions_done_at, now()), "
                + "last_seen_at = now() WHERE token = ?", token);
    }

    /** The question at a position of the session's plan (answered or not). */
    public Optional<Trial> trialAt(String token, int position) {
        checkedToken(token);
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT s.study_id, t.item_id, t.mirrored FROM participant_session s
                JOIN trial t ON t.session_id = s.id AND t.position = ? WHERE s.token = ?""")) {
            query.setInt(1, position);
            query.setString(2, token);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new Trial(position, item(row.getLong(1), row.getLong(2)),
                        row.getBoolean(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the trial: " + e.getMessage(), e);
        }
    }

    /** The stored answer at a position, if any. */
    public Optional<Answered> answerAt(String token, int position) {
        checkedToken(token);
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT s.study_id, t.item_id, t.mirrored, a.chosen_side, a.correct, s.state FROM participant_session s
                JOIN trial t ON t.session_id = s.id AND t.position = ?
                JOIN answer a ON a.session_id = t.session_id AND a.item_id = t.item_id WHERE s.token = ?""")) {
            query.setInt(1, position);
            query.setString(2, token);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Trial trial = new Trial(position, item(row.getLong(1), row.getLong(2)), row.getBoolean(3));
                return Optional.of(new Answered(false, "completed".equals(row.getString(6)), trial,
                        Side.byKey(row.getString(4)).orElseThrow(), row.getBoolean(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the answer: " + e.getMessage(), e);
        }
    }

    /**
     * Stores an answer to the current question. A second answer to an answered question changes nothing and
     * reports {@code stored = false}; an answer to a later question than the current one is refused (409).
     */
    @Transactional
    public Answered answer(String token, Answer answer) {
        checkedToken(token);
        try (Connection c = dataSource.getConnection()) {
            return answer(c, token, answer);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the answer: " + e.getMessage(), e);
        }
    }

    private Answered answer(Connection c, String token, Answer answer) throws SQLException {
        // the session's row lock alone first, so that the next statement sees an answer a concurrent request stored
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT 1 FROM participant_session WHERE token = ? FOR UPDATE")) {
            lock.setString(1, token);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw StudyException.notFound("no such session (check the link)");
                }
            }
        }
        long sessionId;
        long studyId;
        Trial trial;
        Timestamp shownAt;
        int remaining;
        try (PreparedStatement query = c.prepareStatement("""
                SELECT s.id, s.study_id, s.state, t.position, t.mirrored, t.shown_at, a.chosen_side, a.correct,
                       unanswered.first, unanswered.n
                FROM participant_session s
                LEFT JOIN trial t ON t.session_id = s.id AND t.item_id = ?
                LEFT JOIN answer a ON a.session_id = t.session_id AND a.item_id = t.item_id
                CROSS JOIN LATERAL (
                    SELECT min(u.position) AS first, count(*) AS n FROM trial u WHERE u.session_id = s.id
                      AND NOT EXISTS (SELECT 1 FROM answer b WHERE b.session_id = u.session_id
                                      AND b.item_id = u.item_id)) unanswered
                WHERE s.token = ?""")) {
            query.setLong(1, answer.itemId());
            query.setString(2, token);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw StudyException.notFound("no such session (check the link)");
                }
                sessionId = row.getLong(1);
                studyId = row.getLong(2);
                if (row.getObject(4) == null) {
                    throw StudyException.badRequest("item " + answer.itemId() + " is not a question of this session");
                }
                trial = new Trial(row.getInt(4), item(studyId, answer.itemId()), row.getBoolean(5));
                shownAt = row.getTimestamp(6);
                if (row.getString(7) != null) {
                    return new Answered(false, "completed".equals(row.getString(3)), trial,
                            Side.byKey(row.getString(7)).orElseThrow(), row.getBoolean(8));
                }
                if (row.getInt(9) != trial.position()) {
                    throw StudyException.conflict("answer question " + (row.getInt(9) + 1) + " first");
                }
                remaining = row.getInt(10) - 1;
            }
        }
        boolean correct = trial.itemSide(answer.side()) == trial.item().correctSide();
        try (PreparedStatement insert = c.prepareStatement("""
                WITH stored AS (
                    INSERT INTO answer (session_id, item_id, position, chosen_side, chosen_item_side, correct,
                        confidence_rating, shown_at, client_time, client_response_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING session_id)
                UPDATE participant_session SET last_seen_at = now(),
                    state = CASE WHEN ? THEN 'completed' ELSE state END,
                    completed_at = CASE WHEN ? THEN now() ELSE completed_at END
                WHERE id = (SELECT session_id FROM stored)""")) {
            insert.setLong(1, sessionId);
            insert.setLong(2, answer.itemId());
            insert.setInt(3, trial.position());
            insert.setString(4, answer.side().key());
            insert.setString(5, trial.itemSide(answer.side()).key());
            insert.setBoolean(6, correct);
            if (answer.rating() == null) {
                insert.setNull(7, Types.SMALLINT);
            } else {
                insert.setShort(7, answer.rating().shortValue());
            }
            insert.setTimestamp(8, shownAt);
            insert.setObject(9, answer.clientTime());
            if (answer.clientResponseMs() == null) {
                insert.setNull(10, Types.INTEGER);
            } else {
                insert.setInt(10, answer.clientResponseMs());
            }
            insert.setBoolean(11, remaining == 0);
            insert.setBoolean(12, remaining == 0);
            insert.executeUpdate();
        }
        return new Answered(true, remaining == 0, trial, answer.side(), correct);
    }

    private void update(String sql, String token) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, token);
            if (statement.executeUpdate() == 0) {
                throw StudyException.notFound("no such session (check the link)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update the session: " + e.getMessage(), e);
        }
    }

    /** Every stored answer of a study's sessions as (token, item id) pairs: what the load benchmark checks. */
    public List<String[]> answerKeys(long studyId) {
        List<String[]> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT s.token, a.item_id FROM answer a JOIN participant_session s ON s.id = a.session_id
                WHERE s.study_id = ?""")) {
            query.setLong(1, studyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(new String[] {rows.getString(1), Long.toString(rows.getLong(2))});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read answers: " + e.getMessage(), e);
        }
        return keys;
    }
}
