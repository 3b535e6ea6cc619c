package org.sagstudy.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.sagstudy.http.Page;

/** Jobs as people see them: the queue in order, or an image's newest job, with the photo's name. */
@ApplicationScoped
public class JobViews {

    private static final String SELECT = """
            SELECT j.id, j.kind, j.image_id, i.file_name, j.state, j.phase, j.progress, j.attempts, j.max_attempts,
                   j.last_error, j.model_sha256, j.created_at, j.started_at, j.finished_at
            FROM job j JOIN image i ON i.id = j.image_id""";

    private final DataSource dataSource;

    public JobViews(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A page of the queue, oldest first or newest first. */
    public List<JobView> list(Page page) {
        return query(SELECT + " ORDER BY j.id " + (page.newestFirst() ? "DESC" : "ASC") + " OFFSET ? LIMIT ?",
                page.offset(), page.limit());
    }

    public long count() {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT count(*) FROM job"); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count jobs: " + e.getMessage(), e);
        }
    }

    /** The newest job of each of these images, by image id. */
    public Map<Long, JobView> latestFor(List<Long> imageIds) {
        Map<Long, JobView> latest = new HashMap<>();
        query(SELECT + " WHERE j.image_id = ANY (?) ORDER BY j.id", (Object) imageIds.toArray(Long[]::new))
                .forEach(job -> latest.put(job.imageId(), job));
        return latest;
    }

    public Optional<JobView> byId(long jobId) {
        return query(SELECT + " WHERE j.id = ?", jobId).stream().findFirst();
    }

    public Optional<JobView> latestFor(long imageId) {
        return query(SELECT + " WHERE j.image_id = ? ORDER BY j.id DESC LIMIT 1", imageId).stream().findFirst();
    }

    private List<JobView> query(String sql, Object... parameters) {
        List<JobView> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i] instanceof Long[] ids ? c.createArrayOf("bigint", ids)
                        : parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    jobs.add(new JobView(r.getLong(1), JobKind.byKey(r.getString(2)), r.getLong(3), r.getString(4),
                            JobState.byKey(r.getString(5)), r.getString(6), r.getDouble(7), r.getInt(8), r.getInt(9),
                            r.getString(10), r.getString(11), r.getObject(12, OffsetDateTime.class),
                            r.getObject(13, OffsetDateTime.class), r.getObject(14, OffsetDateTime.class)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read jobs: " + e.getMessage(), e);
        }
        return jobs;
    }
}
