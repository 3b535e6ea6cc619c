package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.StudyApi;

/** Balanced assignment without a study-wide lock: concurrent starts, abandoned sessions and returns. */
@QuarkusTest
class ConditionBalanceTest {

    @Inject
    Assignment assignment;
    @Inject
    ConditionBalance balance;
    @Inject
    DataSource dataSource;

    private Assignment.Started start(long study, String id) {
        return assignment.start(study, Assignment.StartRequest.of(new ExternalIds("prolific", id, "st", "se-" + id),
                SessionKind.PARTICIPANT, "test", null));
    }

    private Map<String, Integer> sessionsByCondition(long study) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT condition, count(*) FROM participant_session WHERE study_id = ? AND kind = 'participant' "
                        + "AND counted GROUP BY condition")) {
            query.setLong(1, study);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }

    private void execute(String sql, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    @Test
    void threeHundredConcurrentStartsAreBalancedAndRepeatsResume() throws Exception {
        long study = StudyApi.openStudy("\"gradcam\", \"igos\", \"sag\"");
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Assignment.Started>> starts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "c" + i;
            starts.add(pool.submit(() -> start(study, id)));
            // every tenth person presses start twice at once: one session, the second press resumes it
            if (i % 10 == 0) {
                starts.add(pool.submit(() -> start(study, id)));
            }
        }
        int resumed = 0;
        for (Future<Assignment.Started> started : starts) {
            resumed += started.get().resumed() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(30, resumed);
        assertEquals(Map.of("gradcam", 100, "igos", 100, "sag", 100), sessionsByCondition(study));
        assertEquals(Map.of("gradcam", 100, "igos", 100, "sag", 100), balance.counts(study, SessionKind.PARTICIPANT),
                "the counters agree with the sessions");
    }

    @Test
    void abandonedSessionsAreTakenOutAndReturnsPutBack() throws Exception {
        long study = StudyApi.openStudy("\"gradcam\", \"sag\"");
        List<Assignment.Started> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(start(study, "a" + study + "-" + i));
        }
        // both sag sessions go quiet for longer than the study's timeout (60 minutes by default)
        execute("UPDATE participant_session SET last_seen_at = now() - interval '2 hours' WHERE study_id = ? "
                + "AND condition = 'sag'", study);
        balance.sweep();
        assertEquals(Map.of("gradcam", 2, "sag", 0), balance.counts(study, SessionKind.PARTICIPANT));
        assertEquals("sag", start(study, "b" + study + "-1").condition().key(), "the emptied condition first");
        assertEquals("sag", start(study, "b" + study + "-2").condition().key());
        balance.sweep();
        assertEquals(Map.of("gradcam", 2, "sag", 2), balance.counts(study, SessionKind.PARTICIPANT),
                "a second sweep changes nothing");

        // one abandoned participant comes back: counted again at the next sweep
        String back = first.stream().filter(s -> s.condition() == Condition.SAG).findFirst().orElseThrow().token();
        execute("UPDATE participant_session SET last_seen_at = now() WHERE token = ?", back);
        balance.sweep();
        assertEquals(Map.of("gradcam", 2, "sag", 3), balance.counts(study, SessionKind.PARTICIPANT));
        assertEquals(sessionsByCondition(study), balance.counts(study, SessionKind.PARTICIPANT));
        assertTrue(start(study, "c" + study).condition() == Condition.GRADCAM);
    }

    @Test
    void aStartWhosePlanCannotBeStoredCountsNothing() throws Exception {
        long study = StudyApi.openStudy("\"gradcam\", \"sag\"");
        start(study, "first" + study);
        Map<String, Integer> before = balance.counts(study, SessionKind.PARTICIPANT);
        Map<String, Integer> sessionsBefore = sessionsByCondition(study);
        // a plan naming an item that does not exist fails at its last insert, after the count and the session
        try (Connection c = dataSource.getConnection(); PreparedStatement call = c.prepareStatement("""
                SELECT start_session(?, 'participant', ARRAY['gradcam', 'sag'], NULL, 0.5, 'tok-' || ?, 'prolific',
                    'bad' || ?, NULL, NULL, 1, 'test', 'hash', NULL, ARRAY[0], ARRAY[-1::bigint], ARRAY[false])""")) {
            call.setLong(1, study);
            call.setLong(2, study);
            call.setLong(3, study);
            SQLException refused = assertThrows(SQLException.class, call::executeQuery);
            assertEquals("23503", refused.getSQLState(), "a foreign key violation: " + refused.getMessage());
        }
        assertEquals(before, balance.counts(study, SessionKind.PARTICIPANT), "the count was rolled back with it");
        assertEquals(sessionsBefore, sessionsByCondition(study), "and so was the session");
    }
}
