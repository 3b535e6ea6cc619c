package org.sagstudy.study;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Balanced assignment as counters (table {@code condition_balance}): a start takes the least-filled condition of its
 * study and session kind in one UPDATE, committed on its own, so concurrent starts wait on each other only for that
 * statement (not for their whole start). A start that then fails gives its place back. Every
 * {@code sag.balance.sweep} a sweep takes out sessions abandoned past the study's timeout and puts back the ones that
 * came back or completed, so the counts follow the same rule as before: completed sessions, and active ones seen
 * within the timeout.
 */
@ApplicationScoped
public class ConditionBalance {

    private final DataSource dataSource;

    public ConditionBalance(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The least-filled of {@code conditions} for a new session of {@code kind}, counted on {@code c}: the caller
     * inserts the session in the same transaction, so the count and the session are committed (or neither) together,
     * and the counter row stays locked only until that commit.
     */
    public Condition take(Connection c, long studyId, SessionKind kind, List<Condition> conditions)
            throws SQLException {
        String[] keys = conditions.stream().map(Condition::key).toArray(String[]::new);
        try (PreparedStatement create = c.prepareStatement("""
                INSERT INTO condition_balance (study_id, kind, conditions, counts)
                VALUES (?, ?, ?, array_fill(0, ARRAY[cardinality(?::text[])]))
                ON CONFLICT (study_id, kind) DO NOTHING""")) {
            create.setLong(1, studyId);
            create.setString(2, kind.key());
            create.setArray(3, c.createArrayOf("text", keys));
            create.setArray(4, c.createArrayOf("text", keys));
            create.executeUpdate();
        }
        try (PreparedStatement take = c.prepareStatement("""
                UPDATE condition_balance
                SET taken = least_filled(counts, ?),
                    counts[least_filled(counts, ?)] = counts[least_filled(counts, ?)] + 1
                WHERE study_id = ? AND kind = ?
                RETURNING conditions[taken]""")) {
            double tie = ThreadLocalRandom.current().nextDouble();
            take.setDouble(1, tie);
            take.setDouble(2, tie);
            take.setDouble(3, tie);
            take.setLong(4, studyId);
            take.setString(5, kind.key());
            try (ResultSet row = take.executeQuery()) {
                row.next();
                return Condition.byKey(row.getString(1)).orElseThrow();
            }
        }
    }

    /**
     * Takes out of the counts the sessions of open studies abandoned past the study's timeout, and puts back those
     * that came back or completed: one statement per study and kind, flipping each session's {@code counted} and
     * moving the counts by the same amounts (a session flipped by a concurrent sweep is not flipped again).
     */
    @Scheduled(every = "${sag.balance.sweep:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void sweep() {
        try (Connection c = dataSource.getConnection(); PreparedStatement sweep = c.prepareStatement("""
                WITH open AS (
                    SELECT b.study_id, b.kind, coalesce((st.design ->> 'activeMinutes')::int, 60) AS minutes
                    FROM condition_balance b JOIN study st ON st.id = b.study_id WHERE st.state = 'open'),
                flipped AS (
                    UPDATE participant_session s SET counted = NOT s.counted
                    FROM open o
                    WHERE s.study_id = o.study_id AND s.kind = o.kind AND (
                        (s.counted AND s.state = 'active' AND s.last_seen_at < now() - make_interval(mins => o.minutes))
                        OR (NOT s.counted AND (s.state = 'completed'
                            OR s.last_seen_at >= now() - make_interval(mins => o.minutes))))
                    RETURNING s.study_id, s.kind, s.condition, s.counted),
                moves AS (
                    SELECT study_id, kind, condition, sum(CASE WHEN counted THEN 1 ELSE -1 END)::int AS delta
                    FROM flipped GROUP BY study_id, kind, condition)
                UPDATE condition_balance b SET counts = ARRAY(
                    SELECT b.counts[i] + coalesce((SELECT m.delta FROM moves m WHERE m.study_id = b.study_id
                        AND m.kind = b.kind AND m.condition = b.conditions[i]), 0)
                    FROM generate_subscripts(b.conditions, 1) AS i ORDER BY i)
                WHERE (b.study_id, b.kind) IN (SELECT study_id, kind FROM moves)""")) {
            sweep.executeUpdate();
        } catch (SQLException e) {
            // the next sweep tries again; a database that is away is reported by the requests themselves
        }
    }

    /** The counts of a study's sessions of one kind, by condition (for tests and the study page). */
    public Map<String, Integer> counts(long studyId, SessionKind kind) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT unnest(conditions), unnest(counts) FROM condition_balance WHERE study_id = ? AND kind = ?")) {
            query.setLong(1, studyId);
            query.setString(2, kind.key());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the condition counts: " + e.getMessage(), e);
        }
        return counts;
    }
}
