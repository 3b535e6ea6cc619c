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

/** Jobs as people see them: the queue in order, or an image's newest job, with the photo's name. */
@ApplicationScoped
public class JobViews {

    private static final String SELECT = """
            SELECT j.id, j.image_id, i.file_name, j.state, j.phase, j.progress, j.attempts, j.max_attempts,
                   j.last_error, j.model_sha256, j.created_at, j.started_at, j.finished_at
            FROM job j JOIN image i ON i.id = j.image_id""";

    private final DataSource dataSource;

    public JobViews(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<JobView> all() {
        return query(SELECT + " ORDER BY j.id");
    }

    /** Each image's newest job, by image id. */
    public Map<Long, JobView> latestPerImage() {
        Map<Long, JobView> latest = new HashMap<>();
        query(SELECT + " ORDER BY j.id").forEach(job -> latest.put(job.imageId(), job));
        return latest;
    }

    public Optional<JobView> latestFor(long imageId) {
        return query(SELECT + " WHERE j.image_id = ? ORDER BY j.id DESC LIMIT 1", imageId).stream().findFirst();
    }

    private List<JobView> query(String sql, Object... parameters) {
        List<JobView> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    jobs.add(new JobView(r.getLong(1), r.getLong(2), r.getString(3), JobState.byKey(r.getString(4)),
                            r.getString(5), r.getDouble(6), r.getInt(7), r.getInt(8), r.getString(9),
                            r.getString(10), r.getObject(11, OffsetDateTime.class),
                            r.getObject(12, OffsetDateTime.class), r.getObject(13, OffsetDateTime.class)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read jobs: " + e.getMessage(), e);
        }
        return jobs;
    }
}
