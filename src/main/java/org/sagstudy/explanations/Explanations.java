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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.sagstudy.explain.PatchSet;

/**
 * The store of the {@code explanation} and {@code masked_confidence} tables: it writes what a worker hands it and is
 * the one reader of stored explanations (the typed document, the summary pages list by, facts other packages join
 * on, the confidence of every masked image the engine evaluated, the photos that have an explanation). A stored
 * explanation never changes, so parsed documents are cached by id.
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

    /** A finished explanation, as a worker hands it over: the document and every masked confidence it evaluated. */
    public record NewExplanation(long imageId, String modelSha256, int predictedIndex, String predictedLabel,
            double pFull, String document, Map<Long, Double> confidences) {
    }

    /** What other packages need of an explanation besides its document. */
    public record ExplanationFacts(long id, long imageId, String modelSha256, String predictedLabel,
            String predictedWnid, double pFull) {
    }

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Photos photos;

    public Explanations(DataSource dataSource, ObjectMapper json, Photos photos) {
        this.dataSource = dataSource;
        this.json = json;
        this.photos = photos;
    }

    /**
     * Stores a job's explanation with its masked confidences, in the caller's transaction (the job closes in the
     * same one, so that a result is stored only by the lease holder, once).
     */
    public long store(long jobId, NewExplanation explanation) {
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO explanation (job_id, image_id, model_sha256, predicted_index, predicted_label, p_full,
                                             document)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id""")) {
                insert.setLong(1, jobId);
                insert.setLong(2, explanation.imageId());
                insert.setString(3, explanation.modelSha256());
                insert.setInt(4, explanation.predictedIndex());
                insert.setString(5, explanation.predictedLabel());
                insert.setDouble(6, explanation.pFull());
                insert.setString(7, explanation.document());
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    id = row.getLong("id");
                }
            }
            insertConfidences(c, id, explanation.confidences());
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the explanation of job " + jobId + ": " + e.getMessage(),
                    e);
        }
    }

    /** Adds confidences computed later (a study's random options), in the caller's transaction; known ones stay. */
    public void addConfidences(long explanationId, Map<Long, Double> confidences) {
        try (Connection c = dataSource.getConnection()) {
            insertConfidences(c, explanationId, confidences);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store confidences of explanation " + explanationId + ": "
                    + e.getMessage(), e);
        }
    }

    private static void insertConfidences(Connection c, long explanationId, Map<Long, Double> confidences)
            throws SQLException {
        try (PreparedStatement values = c.prepareStatement("""
                INSERT INTO masked_confidence (explanation_id, patches, confidence) VALUES (?, ?, ?)
                ON CONFLICT (explanation_id, patches) DO NOTHING""")) {
            for (Map.Entry<Long, Double> entry : confidences.entrySet()) {
                values.setLong(1, explanationId);
                values.setLong(2, entry.getKey());
                values.setDouble(3, entry.getValue());
                values.addBatch();
            }
            values.executeBatch();
        }
    }

    private static final String FACTS = "id, image_id, model_sha256, predicted_label, "
            + "document #>> '{predicted,wnid}' AS predicted_wnid, p_full";

    private static ExplanationFacts factsOf(ResultSet row) throws SQLException {
        return new ExplanationFacts(row.getLong("id"), row.getLong("image_id"), row.getString("model_sha256"),
                row.getString("predicted_label"), row.getString("predicted_wnid"), row.getDouble("p_full"));
    }

    private static Summary summaryOf(ResultSet row) throws SQLException {
        return new Summary(row.getLong("id"), row.getString("predicted_label"), row.getDouble("p_full"),
                row.getString("dnf"));
    }

    /** The facts of each of these explanations, by id. */
    public Map<Long, ExplanationFacts> facts(Collection<Long> explanationIds) {
        Map<Long, ExplanationFacts> facts = new HashMap<>();
        if (!explanationIds.isEmpty()) {
            query("SELECT " + FACTS + " FROM explanation WHERE id = ANY (?)",
                    Explanations::factsOf,
                    (Object) explanationIds.toArray(Long[]::new)).forEach(f -> facts.put(f.id(), f));
        }
        return facts;
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
                row -> row.getString("model_sha256"), imageId);
    }

    /** How many photos each model explained, by model hash. */
    public Map<String, Long> photosExplainedByModel() {
        Map<String, Long> counts = new HashMap<>();
        query("SELECT model_sha256, count(DISTINCT image_id) AS photos FROM explanation GROUP BY model_sha256",
                row -> counts.put(row.getString("model_sha256"), row.getLong("photos")));
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
                SELECT id, predicted_label, p_full, document->>'dnf' AS dnf FROM explanation
                WHERE image_id = ? AND (CAST(? AS text) IS NULL OR model_sha256 = ?) ORDER BY id DESC LIMIT 1""",
                Explanations::summaryOf, imageId,
                modelSha256, modelSha256).stream().findFirst();
    }

    /** The summary of the newest explanation of each of these images, by image id. */
    public Map<Long, Summary> summaries(List<Long> imageIds) {
        Map<Long, Summary> summaries = new HashMap<>();
        query("""
                SELECT DISTINCT ON (image_id) image_id, id, predicted_label, p_full, document->>'dnf' AS dnf
                FROM explanation WHERE image_id = ANY (?) ORDER BY image_id, id DESC""",
                row -> summaries.put(row.getLong("image_id"), summaryOf(row)),
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
                row -> known.put(new PatchSet(row.getLong("patches")), row.getDouble("confidence")), explanationId);
        return known;
    }

    /** Every photo this model explained (its newest explanation), in upload order. */
    public List<ExplainedPhoto> explainedPhotos(String modelSha256) {
        List<ExplanationFacts> newest = query("SELECT DISTINCT ON (image_id) " + FACTS
                + " FROM explanation WHERE model_sha256 = ? ORDER BY image_id, id DESC",
                Explanations::factsOf, modelSha256);
        Map<Long, Photos.PhotoFacts> photoFacts = photos.facts(newest.stream().map(ExplanationFacts::imageId)
                .toList());
        return newest.stream().filter(e -> photoFacts.containsKey(e.imageId())).map(e -> {
            Photos.PhotoFacts photo = photoFacts.get(e.imageId());
            return new ExplainedPhoto(e.imageId(), photo.fileName(), e.id(), e.predictedLabel(), e.predictedWnid(),
                    e.pFull(), photo.trueWnid(), photo.trueLabel());
        }).toList();
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
