package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.sagstudy.database.EnumSql;

/** Sessions per condition and state, for the experimenter; preview and simulated sessions are counted apart. */
@ApplicationScoped
public class SessionCounts {

    public record ConditionCount(String condition, int completed, int active, int started, int preview,
            int simulated) {
    }

    private final Jdbi jdbi;

    public SessionCounts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The counts of a condition, in the order of {@link ConditionCount}'s numbers. */
    private static final List<String> COUNTS = List.of("completed", "active", "participants", "previews", "simulated");

    /** Sessions per condition of the design (and of any other condition that has sessions). */
    public List<ConditionCount> of(long studyId, StudyDesign design) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        design.conditions().forEach(c -> counts.put(c, new int[5]));
        jdbi.useHandle(handle -> handle.createQuery(EnumSql.with("""
                SELECT condition,
                       count(*) FILTER (WHERE kind = :participant AND state = :completed) AS completed,
                       count(*) FILTER (WHERE kind = :participant AND state = :active
                                        AND last_seen_at > now() - make_interval(mins => :activeMinutes)) AS active,
                       count(*) FILTER (WHERE kind = :participant) AS participants,
                       count(*) FILTER (WHERE kind = :preview) AS previews,
                       count(*) FILTER (WHERE kind = :simulated) AS simulated
                FROM participant_session WHERE study_id = :studyId GROUP BY condition""",
                SessionKind.PARTICIPANT, SessionState.COMPLETED, SessionState.ACTIVE, SessionKind.PREVIEW,
                SessionKind.SIMULATED)).bind("activeMinutes", design.activeMinutes()).bind("studyId", studyId)
                .map((row, context) -> {
                    int[] n = new int[COUNTS.size()];
                    for (int i = 0; i < n.length; i++) {
                        n[i] = row.getInt(COUNTS.get(i));
                    }
                    return Map.entry(row.getString("condition"), n);
                }).forEach(entry -> counts.put(entry.getKey(), entry.getValue())));
        return counts.entrySet().stream().map(e -> new ConditionCount(e.getKey(), e.getValue()[0], e.getValue()[1],
                e.getValue()[2], e.getValue()[3], e.getValue()[4])).toList();
    }
}
