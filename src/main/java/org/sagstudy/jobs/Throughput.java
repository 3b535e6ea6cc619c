package org.sagstudy.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.sagstudy.database.EnumSql;

/** Queue throughput and an estimate of the time left, from the jobs' own timestamps. */
@ApplicationScoped
public class Throughput {

    /**
     * @param doneLastHour   jobs finished in the last hour (images per hour)
     * @param meanSeconds    mean duration of the last 20 finished jobs
     * @param waiting        queued or running jobs
     * @param secondsLeft    waiting x mean duration / workers busy now, in every process (0 when unknown)
     */
    public record Snapshot(long doneLastHour, double meanSeconds, long waiting, long secondsLeft) {
    }

    private final DataSource dataSource;

    public Throughput(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Snapshot now() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery(EnumSql.with("""
                        SELECT (SELECT count(*) FROM job WHERE state = :done AND finished_at > now() - interval '1 hour')
                                   AS done_last_hour,
                               (SELECT coalesce(avg(extract(epoch FROM finished_at - started_at)), 0) FROM
                                   (SELECT finished_at, started_at FROM job WHERE state = :done
                                    ORDER BY finished_at DESC LIMIT 20) recent) AS mean_seconds,
                               (SELECT count(*) FROM job WHERE state IN (:queued, :running)) AS waiting,
                               (SELECT count(*) FROM job WHERE state = :running) AS running""",
                                   JobState.DONE, JobState.RUNNING, JobState.QUEUED))) {
            row.next();
            long waiting = row.getLong("waiting");
            double mean = row.getDouble("mean_seconds");
            // every worker of every process that shares the queue: those busy now
            long left = Math.round(waiting * mean / Math.max(1, row.getLong("running")));
            return new Snapshot(row.getLong("done_last_hour"), mean, waiting, left);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the queue: " + e.getMessage(), e);
        }
    }
}
