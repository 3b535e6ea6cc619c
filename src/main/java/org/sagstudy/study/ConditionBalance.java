package org.sagstudy.study;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.sagstudy.database.EnumSql;

/**
 * Balanced assignment as counters (table {@code condition_balance}): a start takes the least-filled condition of its
 * study and session kind and counts it in the statement that inserts its session (the database's
 * {@code start_session}, called by {@link Assignment}), so concurrent starts wait on each other only while the
 * database runs that statement. Every {@code sag.balance.sweep} a sweep takes out sessions abandoned past the study's
 * timeout and puts back the ones that came back or completed, so the counts follow the same rule as before the
 * counters: completed sessions, and active ones seen within the timeout.
 */
@ApplicationScoped
public class ConditionBalance {

    private final Jdbi jdbi;

    public ConditionBalance(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Takes out of the counts the sessions of open studies abandoned past the study's timeout, and puts back those
     * that came back or completed: one statement per study and kind, flipping each session's {@code counted} and
     * moving the counts by the same amounts (a session flipped by a concurrent sweep is not flipped again).
     */
    @Scheduled(every = "${sag.balance.sweep:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void sweep() {
        try {
            jdbi.useHandle(handle -> handle.createUpdate(EnumSql.with("""
                WITH open AS (
                    SELECT b.study_id, b.kind, coalesce((st.design ->> 'activeMinutes')::int, 60) AS minutes
                    FROM condition_balance b JOIN study st ON st.id = b.study_id WHERE st.state = :open),
                flipped AS (
                    UPDATE participant_session s SET counted = NOT s.counted
                    FROM open o
                    WHERE s.study_id = o.study_id AND s.kind = o.kind AND (
                        (s.counted AND s.state = :active AND s.last_seen_at < now() - make_interval(mins => o.minutes))
                        OR (NOT s.counted AND (s.state = :completed
                            OR s.last_seen_at >= now() - make_interval(mins => o.minutes))))
                    RETURNING s.study_id, s.kind, s.condition, s.counted),
                moves AS (
                    SELECT study_id, kind, condition, sum(CASE WHEN counted THEN 1 ELSE -1 END)::int AS delta
                    FROM flipped GROUP BY study_id, kind, condition)
                UPDATE condition_balance b SET counts = ARRAY(
                    SELECT b.counts[i] + coalesce((SELECT m.delta FROM moves m WHERE m.study_id = b.study_id
                        AND m.kind = b.kind AND m.condition = b.conditions[i]), 0)
                    FROM generate_subscripts(b.conditions, 1) AS i ORDER BY i)
                WHERE (b.study_id, b.kind) IN (SELECT study_id, kind FROM moves)""",
                    StudyState.OPEN, SessionState.ACTIVE, SessionState.COMPLETED)).execute());
        } catch (JdbiException e) {
            // the next sweep tries again; a database that is away is reported by the requests themselves
        }
    }

    /** The counts of a study's sessions of one kind, by condition (for tests and the study page). */
    public Map<String, Integer> counts(long studyId, SessionKind kind) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("""
                SELECT unnest(conditions) AS condition, unnest(counts) AS sessions FROM condition_balance
                WHERE study_id = :studyId AND kind = :kind""").bind("studyId", studyId).bind("kind", kind)
                .map((row, context) -> Map.entry(row.getString("condition"), row.getInt("sessions")))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue())));
        return counts;
    }
}
