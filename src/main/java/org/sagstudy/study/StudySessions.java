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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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

    private Started start(Connection c, StudyCatalog.StudyInfo study, ExternalIds ids, Kind kind,
            Condition previewCondition, String userAgent) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, ASSIGNMENT_LOCK);
            lock.setInt(2, (int) study.id());
            lock.execute();
        }
        String state = scalar(c, "SELECT state FROM study WHERE id = ?", study.id());
        if (kind != Kind.PREVIEW && !"open".equals(state)) {
            throw StudyException.conflict("this study is not open for participants (it is " + state + ")");
        }
        if (kind == Kind.PARTICIPANT && ids.externalId() != null) {
            try (PreparedStatement existing = c.prepareStatement("""
                    SELECT token, condition FROM participant_session
                    WHERE study_id = ? AND platform = ? AND external_id = ? AND kind = 'participant'""")) {
                existing.setLong(1, study.id());
                existing.setString(2, ids.platform());
                existing.setString(3, ids.externalId());
                try (ResultSet row = existing.executeQuery()) {
                    if (row.next()) {
                        return new Started(row.getString(1), Condition.byKey(row.getString(2)).orElseThrow(), true);
                    }
                }
            }
        }
        Condition condition = kind == Kind.PREVIEW ? previewCondition : leastFilled(c, study, kind);
        long seed = random.nextLong();
        byte[] tokenBytes = new byte[24];
        random.nextBytes(tokenBytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
        long sessionId;
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO participant_session (study_id, token, condition, kind, platform, external_id,
                    external_study, external_session, seed, user_agent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
            insert.setLong(1, study.id());
            insert.setString(2, token);
            insert.setString(3, condition.key());
            insert.setString(4, kind.key());
            insert.setString(5, ids.platform());
            insert.setString(6, ids.externalId());
            insert.setString(7, ids.externalStudy());
            insert.setString(8, ids.externalSession());
            insert.setLong(9, seed);
            insert.setString(10, userAgent == null ? null : userAgent.substring(0, Math.min(500, userAgent.length())));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                sessionId = row.getLong(1);
            }
        }
        List<SessionPlan.PlanItem> items = catalog.items(study.id()).values().stream()
                .map(i -> new SessionPlan.PlanItem(i.id(), i.kind(), i.imageId(), i.correctSide())).toList();
        if (items.stream().noneMatch(i -> i.kind() == ItemBuilder.Kind.TRIAL)) {
            throw StudyException.conflict("this study has no questions yet (see its problems on the study page)");
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO trial (session_id, position, item_id, mirrored) VALUES (?, ?, ?, ?)")) {
            int position = 0;
            for (SessionPlan.Trial trial : SessionPlan.draw(items, seed)) {
                insert.setLong(1, sessionId);
                insert.setInt(2, position++);
                insert.setLong(3, trial.itemId());
                insert.setBoolean(4, trial.mirrored());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return new Started(token, condition, false);
    }

    private Condition leastFilled(Connection c, StudyCatalog.StudyInfo study, Kind kind) throws SQLException {
        Map<String, Integer> filled = new HashMap<>();
        try (PreparedStatement count = c.prepareStatement("""
                SELECT condition, count(*) FROM participant_session
                WHERE study_id = ? AND kind = ?
                  AND (state = 'completed' OR last_seen_at > now() - make_interval(mins => ?))
                GROUP BY condition""")) {
            count.setLong(1, study.id());
            count.setString(2, kind.key());
            count.setInt(3, study.design().activeMinutes());
            try (ResultSet rows = count.executeQuery()) {
                while (rows.next()) {
                    filled.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        List<Condition> conditions = study.design().conditionList();
        int least = conditions.stream().mapToInt(cond -> filled.getOrDefault(cond.key(), 0)).min().orElseThrow();
        List<Condition> candidates = conditions.stream().filter(cond -> filled.getOrDefault(cond.key(), 0) == least)
                .toList();
        return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }

    /** Where the session stands; marks the current question as shown when {@code showing}. */
    public State state(String token, boolean showing) {
        try (Connection c = dataSource.getConnection()) {
            State state = read(c, token);
            if (showing) {
                try (PreparedStatement seen = c.prepareStatement(
                        "UPDATE participant_session SET last_seen_at = now() WHERE id = ?")) {
                    seen.setLong(1, state.sessionId());
                    seen.executeUpdate();
                }
                if (state.current().isPresent()) {
                    try (PreparedStatement shown = c.prepareStatement(
                            "UPDATE trial SET shown_at = now() WHERE session_id = ? AND position = ? "
                                    + "AND shown_at IS NULL")) {
                        shown.setLong(1, state.sessionId());
                        shown.setInt(2, state.current().get().position());
                        shown.executeUpdate();
                    }
                }
            }
            return state;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the session: " + e.getMessage(), e);
        }
    }

    private State read(Connection c, String token) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT s.id, s.study_id, s.condition, s.kind, s.state, s.instructions_done_at IS NOT NULL,
                       (SELECT count(*) FROM trial t WHERE t.session_id = s.id),
                       (SELECT count(*) FROM answer a WHERE a.session_id = s.id),
                       next.position, next.item_id, next.mirrored
                FROM participant_session s
                LEFT JOIN LATERAL (
                    SELECT t.position, t.item_id, t.mirrored FROM trial t
                    WHERE t.session_id = s.id
                      AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.session_id = t.session_id
                                      AND a.item_id = t.item_id)
                    ORDER BY t.position LIMIT 1) next ON true
                WHERE s.token = ?""")) {
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
        }
    }

    private StudyCatalog.Item item(long studyId, long itemId) {
        StudyCatalog.Item item = catalog.items(studyId).get(itemId);
        if (item == null) {
            throw new IllegalStateException("item " + itemId + " of study " + studyId + " is missing");
        }
        return item;
    }

    public void finishInstructions(String token) {
        update("UPDATE participant_session SET instructions_done_at = coalesce(instructions_done_at, now()), "
                + "last_seen_at = now() WHERE token = ?", token);
    }

    /** The question at a position of the session's plan (answered or not). */
    public Optional<Trial> trialAt(String token, int position) {
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
        try (Connection c = dataSource.getConnection()) {
            return answer(c, token, answer);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the answer: " + e.getMessage(), e);
        }
    }

    private Answered answer(Connection c, String token, Answer answer) throws SQLException {
        long sessionId;
        long studyId;
        boolean completedBefore;
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT id, study_id, state FROM participant_session WHERE token = ? FOR UPDATE")) {
            lock.setString(1, token);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw StudyException.notFound("no such session (check the link)");
                }
                sessionId = row.getLong(1);
                studyId = row.getLong(2);
                completedBefore = "completed".equals(row.getString(3));
            }
        }
        Trial trial;
        Timestamp shownAt;
        try (PreparedStatement query = c.prepareStatement("""
                SELECT t.position, t.mirrored, t.shown_at, a.chosen_side, a.correct FROM trial t
                LEFT JOIN answer a ON a.session_id = t.session_id AND a.item_id = t.item_id
                WHERE t.session_id = ? AND t.item_id = ?""")) {
            query.setLong(1, sessionId);
            query.setLong(2, answer.itemId());
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw StudyException.badRequest("item " + answer.itemId() + " is not a question of this session");
                }
                trial = new Trial(row.getInt(1), item(studyId, answer.itemId()), row.getBoolean(2));
                shownAt = row.getTimestamp(3);
                if (row.getString(4) != null) {
                    return new Answered(false, completedBefore, trial, Side.byKey(row.getString(4)).orElseThrow(),
                            row.getBoolean(5));
                }
            }
        }
        try (PreparedStatement next = c.prepareStatement("""
                SELECT min(t.position) FROM trial t WHERE t.session_id = ?
                  AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.session_id = t.session_id AND a.item_id = t.item_id)""")) {
            next.setLong(1, sessionId);
            try (ResultSet row = next.executeQuery()) {
                row.next();
                if (row.getInt(1) != trial.position()) {
                    throw StudyException.conflict("answer question " + (row.getInt(1) + 1) + " first");
                }
            }
        }
        boolean correct = trial.itemSide(answer.side()) == trial.item().correctSide();
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO answer (session_id, item_id, position, chosen_side, chosen_item_side, correct,
                    confidence_rating, shown_at, client_time, client_response_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
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
            insert.executeUpdate();
        }
        boolean completed;
        try (PreparedStatement finish = c.prepareStatement("""
                UPDATE participant_session SET last_seen_at = now(),
                    state = CASE WHEN remaining.n = 0 THEN 'completed' ELSE state END,
                    completed_at = CASE WHEN remaining.n = 0 THEN now() ELSE completed_at END
                FROM (SELECT count(*) AS n FROM trial t WHERE t.session_id = ?
                      AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.session_id = t.session_id
                                      AND a.item_id = t.item_id)) remaining
                WHERE id = ? RETURNING state""")) {
            finish.setLong(1, sessionId);
            finish.setLong(2, sessionId);
            try (ResultSet row = finish.executeQuery()) {
                row.next();
                completed = "completed".equals(row.getString(1));
            }
        }
        return new Answered(true, completed, trial, answer.side(), correct);
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

    private static String scalar(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            query.setLong(1, id);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw StudyException.notFound("no study " + id);
                }
                return row.getString(1);
            }
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
