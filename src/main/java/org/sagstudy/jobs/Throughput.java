package org.sagstudy.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
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

    private record Counts(long doneLastHour, double meanSeconds, long waiting, long running) {
    }

    private static final RowMapper<Counts> COUNTS_ROW = ConstructorMapper.of(Counts.class);

    private final Jdbi jdbi;

    public Throughput(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Snapshot now() {
        Counts counts = jdbi.withHandle(handle -> handle.createQuery(EnumSql.with("""
                SELECT (SELECT count(*) FROM job WHERE state = :done AND finished_at > now() - interval '1 hour')
                           AS done_last_hour,
                       (SELECT coalesce(avg(extract(epoch FROM finished_at - started_at)), 0) FROM
                           (SELECT finished_at, started_at FROM job WHERE state = :done
                            ORDER BY finished_at DESC LIMIT 20) recent) AS mean_seconds,
                       (SELECT count(*) FROM job WHERE state IN (:queued, :running)) AS waiting,
                       (SELECT count(*) FROM job WHERE state = :running) AS running""",
                JobState.DONE, JobState.RUNNING, JobState.QUEUED)).map(COUNTS_ROW).one());
        // every worker of every process that shares the queue: those busy now
        long left = Math.round(counts.waiting() * counts.meanSeconds() / Math.max(1, counts.running()));
        return new Snapshot(counts.doneLastHour(), counts.meanSeconds(), counts.waiting(), left);
    }
}
