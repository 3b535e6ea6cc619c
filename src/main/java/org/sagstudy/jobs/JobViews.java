package org.sagstudy.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.explanations.Photos;
import org.sagstudy.http.Page;

/** Jobs as people see them: the queue in order, or an image's newest job, with the photo's name. */
@ApplicationScoped
public class JobViews {

    private static final String SELECT = """
            SELECT j.id, j.kind, j.image_id, j.state, j.phase, j.progress, j.attempts, j.max_attempts, j.last_error,
                   j.model_sha256, j.created_at, j.started_at, j.finished_at
            FROM job j""";

    private static final RowMapper<JobRow> JOB_ROW = ConstructorMapper.of(JobRow.class);

    private final Jdbi jdbi;
    private final Photos photos;

    public JobViews(Jdbi jdbi, Photos photos) {
        this.jdbi = jdbi;
        this.photos = photos;
    }

    /** A page of the queue, oldest first or newest first. */
    public List<JobView> list(Page page) {
        return query(SELECT + " ORDER BY j.id " + (page.newestFirst() ? "DESC" : "ASC") + " OFFSET :offset LIMIT :limit",
                Map.of("offset", page.offset(), "limit", page.limit()));
    }

    public long count() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM job").mapTo(Long.class).one());
    }

    /** The newest job of each of these images, by image id. */
    public Map<Long, JobView> latestFor(List<Long> imageIds) {
        Map<Long, JobView> latest = new HashMap<>();
        query(SELECT + " WHERE j.image_id = ANY (:ids) ORDER BY j.id", Map.of("ids", imageIds.toArray(Long[]::new)))
                .forEach(job -> latest.put(job.imageId(), job));
        return latest;
    }

    public Optional<JobView> byId(long jobId) {
        return query(SELECT + " WHERE j.id = :id", Map.of("id", jobId)).stream().findFirst();
    }

    public Optional<JobView> latestFor(long imageId) {
        return query(SELECT + " WHERE j.image_id = :imageId ORDER BY j.id DESC LIMIT 1", Map.of("imageId", imageId))
                .stream().findFirst();
    }

    private List<JobView> query(String sql, Map<String, Object> parameters) {
        List<JobRow> rows = jdbi.withHandle(handle -> handle.createQuery(sql).bindMap(parameters).map(JOB_ROW)
                .list());
        Map<Long, Photos.PhotoFacts> photoFacts = photos.facts(rows.stream().map(JobRow::imageId).distinct()
                .toList());
        return rows.stream().map(row -> row.view(Optional.ofNullable(photoFacts.get(row.imageId()))
                .map(Photos.PhotoFacts::fileName).orElse(null))).toList();
    }

    /** A job's row; its photo's name comes from the images package. */
    private record JobRow(long id, JobKind kind, long imageId, JobState state, String phase, double progress,
            int attempts, int maxAttempts, String lastError, String modelSha256, OffsetDateTime createdAt,
            OffsetDateTime startedAt, OffsetDateTime finishedAt) {

        JobView view(String fileName) {
            return new JobView(id, kind, imageId, fileName, state, phase, progress, attempts, maxAttempts, lastError,
                    modelSha256, createdAt, startedAt, finishedAt);
        }
    }
}
