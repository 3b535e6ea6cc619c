package org.sagstudy.explanations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.sagstudy.explain.PatchSet;

/**
 * The one reader of stored explanations: the typed document, the summary pages list by, the confidence of every
 * masked image the engine evaluated, and the photos that have an explanation. A stored explanation never changes, so
 * parsed documents are cached by id.
 */
@ApplicationScoped
public class Explanations {

    /** What a page shows of the newest explanation of an image. */
    public record Summary(long explanationId, String predictedLabel, double pFull, String dnf) {
    }

    /**
     * A photo that can be used in a study: it has an explanation (its newest is named), with the model's class and,
     * when known, the photo's true class.
     */
    public record ExplainedPhoto(long imageId, String fileName, long explanationId, String label, String wnid,
            double pFull, String trueWnid, String trueLabel) {

        /** False only when the true class is known and differs from the model's. */
        public boolean correct() {
            return trueWnid == null || trueWnid.equals(wnid);
        }
    }

    private final DataSource dataSource;
    private final ObjectMapper json;

    public Explanations(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The newest explanation of an image by one model (any model when {@code modelSha256} is null). */
    public Optional<StoredExplanation> latestFor(long imageId, String modelSha256) {
        return latestIdFor(imageId, modelSha256).flatMap(this::byId);
    }

    /** The newest explanation's id of an image by one model (any model when {@code modelSha256} is null). */
    @Transactional
    public Optional<Long> latestIdFor(long imageId, String modelSha256) {
        return (modelSha256 == null
                ? ExplanationEntity.<ExplanationEntity>find("imageId = ?1 order by id desc", imageId)
                : ExplanationEntity.<ExplanationEntity>find("imageId = ?1 and modelSha256 = ?2 order by id desc",
                        imageId, modelSha256)).firstResultOptional().map(e -> e.id);
    }

    /** The hashes of the models that explained an image, newest explanation first. */
    public List<String> modelsOf(long imageId) {
        return query("""
                SELECT model_sha256 FROM explanation WHERE image_id = ? GROUP BY model_sha256 ORDER BY max(id) DESC""",
                row -> row.getString(1), imageId);
    }

    /** How many photos each model explained, by model hash. */
    public Map<String, Long> photosExplainedByModel() {
        Map<String, Long> counts = new HashMap<>();
        query("SELECT model_sha256, count(DISTINCT image_id) FROM explanation GROUP BY model_sha256",
                row -> counts.put(row.getString(1), row.getLong(2)));
        return counts;
    }

    @CacheResult(cacheName = "explanations")
    @Transactional
    public Optional<StoredExplanation> byId(long explanationId) {
        return ExplanationEntity.<ExplanationEntity>findByIdOptional(explanationId).map(this::parse);
    }

    /** The stored document as it is, for clients that want the engine's JSON. */
    @Transactional
    public Optional<String> latestDocument(long imageId, String modelSha256) {
        return latestIdFor(imageId, modelSha256)
                .flatMap(id -> ExplanationEntity.<ExplanationEntity>findByIdOptional(id)).map(e -> e.document);
    }

    /** The summary without loading and parsing the whole document (any model when {@code modelSha256} is null). */
    public Optional<Summary> summaryFor(long imageId, String modelSha256) {
        return query("""
                SELECT id, predicted_label, p_full, document->>'dnf' FROM explanation
                WHERE image_id = ? AND (CAST(? AS text) IS NULL OR model_sha256 = ?) ORDER BY id DESC LIMIT 1""",
                row -> new Summary(row.getLong(1), row.getString(2), row.getDouble(3), row.getString(4)), imageId,
                modelSha256, modelSha256).stream().findFirst();
    }

    /** The summary of the newest explanation of each of these images, by image id. */
    public Map<Long, Summary> summaries(List<Long> imageIds) {
        Map<Long, Summary> summaries = new HashMap<>();
        query("""
                SELECT DISTINCT ON (image_id) image_id, id, predicted_label, p_full, document->>'dnf' FROM explanation
                WHERE image_id = ANY (?) ORDER BY image_id, id DESC""", row -> summaries.put(row.getLong(1),
                new Summary(row.getLong(2), row.getString(3), row.getDouble(4), row.getString(5))),
                (Object) imageIds.toArray(Long[]::new));
        return summaries;
    }

    /** The engine's parameters of an explanation as JSON (the export records them with every answer). */
    public String parametersJson(long explanationId) {
        StoredExplanation explanation = byId(explanationId).orElseThrow(
                () -> new IllegalStateException("explanation " + explanationId + " is gone"));
        try {
            return json.writeValueAsString(explanation.parameters());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The confidence of every masked image the engine evaluated for this explanation, by patch set. */
    public Map<PatchSet, Double> knownConfidences(long explanationId) {
        Map<PatchSet, Double> known = new HashMap<>();
        query("SELECT patches, confidence FROM masked_confidence WHERE explanation_id = ?",
                row -> known.put(new PatchSet(row.getLong(1)), row.getDouble(2)), explanationId);
        return known;
    }

    /** Every photo this model explained (its newest explanation), in upload order. */
    public List<ExplainedPhoto> explainedPhotos(String modelSha256) {
        return query("""
                SELECT DISTINCT ON (i.id) i.id, i.file_name, e.id, e.predicted_label,
                       e.document #>> '{predicted,wnid}', e.p_full, i.true_wnid, i.true_label
                FROM image i JOIN explanation e ON e.image_id = i.id WHERE e.model_sha256 = ?
                ORDER BY i.id, e.id DESC""",
                row -> new ExplainedPhoto(row.getLong(1), row.getString(2), row.getLong(3), row.getString(4),
                        row.getString(5), row.getDouble(6), row.getString(7), row.getString(8)), modelSha256);
    }

    private StoredExplanation parse(ExplanationEntity entity) {
        try {
            return json.readValue(entity.document, StoredExplanation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("explanation " + entity.id + " does not read: " + e.getMessage(), e);
        }
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, RowReader<T> reader, Object... parameters) {
        List<T> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i] instanceof Long[] ids ? c.createArrayOf("bigint", ids)
                        : parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(reader.read(row));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read explanations: " + e.getMessage(), e);
        }
        return rows;
    }
}
