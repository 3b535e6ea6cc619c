package org.sagstudy.explanations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
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

    private static final String FACTS = "id, image_id, model_sha256, predicted_label, "
            + "document #>> '{predicted,wnid}' AS predicted_wnid, p_full";
    private static final String SUMMARY = "id AS explanation_id, predicted_label, p_full, document->>'dnf' AS dnf";

    private static final RowMapper<ExplanationFacts> FACTS_ROW = ConstructorMapper.of(ExplanationFacts.class);
    private static final RowMapper<Summary> SUMMARY_ROW = (row, context) -> new Summary(row.getLong("explanation_id"),
            row.getString("predicted_label"), row.getDouble("p_full"), row.getString("dnf"));

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Photos photos;

    public Explanations(Jdbi jdbi, ObjectMapper json, Photos photos) {
        this.jdbi = jdbi;
        this.json = json;
        this.photos = photos;
    }

    /**
     * Stores a job's explanation with its masked confidences, in the caller's transaction (the job closes in the
     * same one, so that a result is stored only by the lease holder, once).
     */
    public long store(long jobId, NewExplanation explanation) {
        return jdbi.withHandle(handle -> {
            long id = handle.createQuery("""
                    INSERT INTO explanation (job_id, image_id, model_sha256, predicted_index, predicted_label, p_full,
                                             document)
                    VALUES (:jobId, :imageId, :modelSha256, :predictedIndex, :predictedLabel, :pFull,
                            CAST(:document AS jsonb))
                    RETURNING id""").bind("jobId", jobId).bindMethods(explanation).mapTo(Long.class).one();
            insertConfidences(handle, id, explanation.confidences());
            return id;
        });
    }

    /** Adds confidences computed later (a study's random options), in the caller's transaction; known ones stay. */
    public void addConfidences(long explanationId, Map<Long, Double> confidences) {
        jdbi.useHandle(handle -> insertConfidences(handle, explanationId, confidences));
    }

    private static void insertConfidences(Handle handle, long explanationId, Map<Long, Double> confidences) {
        if (confidences.isEmpty()) {
            return;
        }
        var batch = handle.prepareBatch("""
                INSERT INTO masked_confidence (explanation_id, patches, confidence)
                VALUES (:explanationId, :patches, :confidence)
                ON CONFLICT (explanation_id, patches) DO NOTHING""");
        confidences.forEach((patches, confidence) -> batch.bind("explanationId", explanationId)
                .bind("patches", patches).bind("confidence", confidence).add());
        batch.execute();
    }

    /** The facts of each of these explanations, by id. */
    public Map<Long, ExplanationFacts> facts(Collection<Long> explanationIds) {
        if (explanationIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + FACTS + " FROM explanation WHERE id = ANY (:ids)")
                .bind("ids", explanationIds.toArray(Long[]::new)).map(FACTS_ROW)
                .collectToMap(ExplanationFacts::id, facts -> facts));
    }

    /** The newest explanation of an image by one model (any model when {@code modelSha256} is null). */
    public Optional<StoredExplanation> latestFor(long imageId, String modelSha256) {
        return latestIdFor(imageId, modelSha256).flatMap(this::byId);
    }

    /** The newest explanation's id of an image by one model (any model when {@code modelSha256} is null). */
    public Optional<Long> latestIdFor(long imageId, String modelSha256) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT id FROM explanation
                WHERE image_id = :imageId AND (CAST(:model AS text) IS NULL OR model_sha256 = :model)
                ORDER BY id DESC LIMIT 1""").bind("imageId", imageId).bind("model", modelSha256)
                .mapTo(Long.class).findOne());
    }

    /** The hashes of the models that explained an image, newest explanation first. */
    public List<String> modelsOf(long imageId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT model_sha256 FROM explanation WHERE image_id = :imageId
                GROUP BY model_sha256 ORDER BY max(id) DESC""").bind("imageId", imageId).mapTo(String.class).list());
    }

    /** How many photos each model explained, by model hash. */
    public Map<String, Long> photosExplainedByModel() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT model_sha256, count(DISTINCT image_id) AS photos FROM explanation GROUP BY model_sha256""")
                .map((row, context) -> Map.entry(row.getString("model_sha256"), row.getLong("photos")))
                .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @CacheResult(cacheName = "explanations")
    public Optional<StoredExplanation> byId(long explanationId) {
        return document(explanationId).map(document -> parse(explanationId, document));
    }

    /** The stored document as it is, for clients that want the engine's JSON. */
    public Optional<String> latestDocument(long imageId, String modelSha256) {
        return latestIdFor(imageId, modelSha256).flatMap(this::document);
    }

    private Optional<String> document(long explanationId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT document FROM explanation WHERE id = :id")
                .bind("id", explanationId).mapTo(String.class).findOne());
    }

    /** The summary without loading and parsing the whole document (any model when {@code modelSha256} is null). */
    public Optional<Summary> summaryFor(long imageId, String modelSha256) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + SUMMARY + """
                 FROM explanation
                WHERE image_id = :imageId AND (CAST(:model AS text) IS NULL OR model_sha256 = :model)
                ORDER BY id DESC LIMIT 1""").bind("imageId", imageId).bind("model", modelSha256)
                .map(SUMMARY_ROW).findOne());
    }

    /** The summary of the newest explanation of each of these images, by image id. */
    public Map<Long, Summary> summaries(List<Long> imageIds) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT DISTINCT ON (image_id) image_id, " + SUMMARY
                + " FROM explanation WHERE image_id = ANY (:ids) ORDER BY image_id, id DESC")
                .bind("ids", imageIds.toArray(Long[]::new))
                .map((row, context) -> Map.entry(row.getLong("image_id"), SUMMARY_ROW.map(row, context)))
                .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
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
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT patches, confidence FROM masked_confidence WHERE explanation_id = :id""")
                .bind("id", explanationId)
                .map((row, context) -> Map.entry(new PatchSet(row.getLong("patches")), row.getDouble("confidence")))
                .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Every photo this model explained (its newest explanation), in upload order. */
    public List<ExplainedPhoto> explainedPhotos(String modelSha256) {
        List<ExplanationFacts> newest = jdbi.withHandle(handle -> handle.createQuery("SELECT DISTINCT ON (image_id) "
                + FACTS + " FROM explanation WHERE model_sha256 = :model ORDER BY image_id, id DESC")
                .bind("model", modelSha256).map(FACTS_ROW).list());
        Map<Long, Photos.PhotoFacts> photoFacts = photos.facts(newest.stream().map(ExplanationFacts::imageId)
                .toList());
        return newest.stream().filter(e -> photoFacts.containsKey(e.imageId())).map(e -> {
            Photos.PhotoFacts photo = photoFacts.get(e.imageId());
            return new ExplainedPhoto(e.imageId(), photo.fileName(), e.id(), e.predictedLabel(), e.predictedWnid(),
                    e.pFull(), photo.trueWnid(), photo.trueLabel());
        }).toList();
    }

    private StoredExplanation parse(long explanationId, String document) {
        try {
            return json.readValue(document, StoredExplanation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("explanation " + explanationId + " does not read: " + e.getMessage(), e);
        }
    }
}
