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
import org.sagstudy.explanations.Photos;
import org.sagstudy.http.Page;

/** Jobs as people see them: the queue in order, or an image's newest job, with the photo's name. */
@ApplicationScoped
public class JobViews {

    private static final String SELECT = """
            SELECT j.id, j.kind, j.image_id, j.state, j.phase, j.progress, j.attempts, j.max_attempts, j.last_error,
                   j.model_sha256, j.created_at, j.started_at, j.finished_at
            FROM job j""";

    private final DataSource dataSource;
    private final Photos photos;

    public JobViews(DataSource dataSource, Photos photos) {
        this.dataSource = dataSource;
        this.photos = photos;
    }

    /** A page of the queue, oldest first or newest first. */
    public List<JobView> list(Page page) {
        return query(SELECT + " ORDER BY j.id " + (page.newestFirst() ? "DESC" : "ASC") + " OFFSET ? LIMIT ?",
                page.offset(), page.limit());
    }

    public long count() {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT count(*) AS jobs FROM job"); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong("jobs");
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
        List<JobRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i] instanceof Long[] ids ? c.createArrayOf("bigint", ids)
                        : parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    rows.add(new JobRow(r.getLong("id"), JobKind.byKey(r.getString("kind")), r.getLong("image_id"),
                            JobState.byKey(r.getString("state")), r.getString("phase"), r.getDouble("progress"),
                            r.getInt("attempts"), r.getInt("max_attempts"), r.getString("last_error"),
                            r.getString("model_sha256"), r.getObject("created_at", OffsetDateTime.class),
                            r.getObject("started_at", OffsetDateTime.class),
                            r.getObject("finished_at", OffsetDateTime.class)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read jobs: " + e.getMessage(), e);
        }
        Map<Long, Photos.PhotoFacts> photoFacts = photos.facts(rows.stream().map(JobRow::imageId).distinct()
                .toList());
        return rows.stream().map(row -> row.view(Optional.ofNullable(photoFacts.get(row.imageId()))
                .map(Photos.PhotoFacts::fileName).orElse(null))).toList();
    }

    /** A job's row; its photo's name comes from the images package. */
    private record JobRow(long id, JobKind kind, long imageId, JobState state, String phase, double progress,
            int attempts, int maxAttempts, String error, String modelSha256, OffsetDateTime createdAt,
            OffsetDateTime startedAt, OffsetDateTime finishedAt) {

        JobView view(String fileName) {
            return new JobView(id, kind, imageId, fileName, state, phase, progress, attempts, maxAttempts, error,
                    modelSha256, createdAt, startedAt, finishedAt);
        }
    }
}
