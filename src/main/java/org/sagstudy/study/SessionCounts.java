package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.sagstudy.database.EnumSql;

/** Sessions per condition and state, for the experimenter; preview and simulated sessions are counted apart. */
@ApplicationScoped
public class SessionCounts {

    public record ConditionCount(String condition, int completed, int active, int started, int preview,
            int simulated) {
    }

    private final DataSource dataSource;

    public SessionCounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The counts of a condition, in the order of {@link ConditionCount}'s numbers. */
    private static final List<String> COUNTS = List.of("completed", "active", "participants", "previews", "simulated");

    /** Sessions per condition of the design (and of any other condition that has sessions). */
    public List<ConditionCount> of(long studyId, StudyDesign design) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        design.conditions().forEach(c -> counts.put(c, new int[5]));
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(EnumSql.with("""
                SELECT condition,
                       count(*) FILTER (WHERE kind = :participant AND state = :completed) AS completed,
                       count(*) FILTER (WHERE kind = :participant AND state = :active
                                        AND last_seen_at > now() - make_interval(mins => ?)) AS active,
                       count(*) FILTER (WHERE kind = :participant) AS participants,
                       count(*) FILTER (WHERE kind = :preview) AS previews,
                       count(*) FILTER (WHERE kind = :simulated) AS simulated
                FROM participant_session WHERE study_id = ? GROUP BY condition""",
                    SessionKind.PARTICIPANT, SessionState.COMPLETED, SessionState.ACTIVE, SessionKind.PREVIEW,
                    SessionKind.SIMULATED))) {
            query.setInt(1, design.activeMinutes());
            query.setLong(2, studyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int[] n = counts.computeIfAbsent(rows.getString("condition"), k -> new int[5]);
                    for (int i = 0; i < COUNTS.size(); i++) {
                        n[i] = rows.getInt(COUNTS.get(i));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count sessions: " + e.getMessage(), e);
        }
        return counts.entrySet().stream().map(e -> new ConditionCount(e.getKey(), e.getValue()[0], e.getValue()[1],
                e.getValue()[2], e.getValue()[3], e.getValue()[4])).toList();
    }
}
