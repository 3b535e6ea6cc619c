package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.sagstudy.database.EnumSql;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.Photos;
import org.sagstudy.images.ImageStore;

/**
 * The read model this package publishes for analysis and export: a study's sessions, answers and items (never
 * previews), with what the explanations and images packages know of each item's photo and explanation, asked through
 * their stores.
 */
@ApplicationScoped
public class StudyRecords {

    /**
     * A row of items.csv: the item with its photo, the photo's true class when known, the model's class and the model
     * that computed its confidences.
     */
    public record ExportedItem(StudyItem item, String imageFile, double pFull, String modelSha256,
            String predictedWnid, String trueWnid, String trueLabel) {

        /** Empty when the true class is unknown. */
        public String correctlyClassified() {
            return trueWnid == null ? "" : String.valueOf(trueWnid.equals(predictedWnid));
        }
    }

    /** What the other packages know of a study's photos and explanations, fetched once per read. */
    private record ItemFacts(Map<Long, Explanations.ExplanationFacts> explanations,
            Map<Long, Photos.PhotoFacts> photos) {

        Explanations.ExplanationFacts explanation(long id) {
            return explanations.get(id);
        }

        Photos.PhotoFacts photo(long id) {
            return photos.get(id);
        }
    }

    /** Per session, what the exclusion rules read; item and session kinds come from their enums. */
    private static final String PARTICIPANTS = EnumSql.with("""
                SELECT s.id, s.condition, s.kind, s.state, s.platform, s.external_id, s.external_study,
                       s.external_session, s.started_at, s.completed_at, s.user_agent, s.seed,
                       (SELECT count(*) FROM trial t WHERE t.session_id = s.id) AS planned,
                       count(a.item_id) AS answers,
                       count(*) FILTER (WHERE i.kind = :trial) AS trial_answers,
                       count(*) FILTER (WHERE i.kind = :trial AND a.correct) AS trial_correct,
                       count(*) FILTER (WHERE i.kind = :attention) AS attention_answers,
                       count(*) FILTER (WHERE i.kind = :attention AND NOT a.correct) AS attention_failed,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_ms) FILTER (WHERE i.kind <> :practice)
                           AS median_response_ms,
                       s.flags, s.instructions_done_at,
                       (SELECT count(*) FROM trial t JOIN study_item p ON p.id = t.item_id
                        WHERE t.session_id = s.id AND p.kind = :practice) AS practice_planned,
                       count(*) FILTER (WHERE i.kind = :practice) AS practice_answers, s.comprehension_failures,
                       s.comprehension_passed_at IS NOT NULL AS passed_comprehension
                FROM participant_session s
                LEFT JOIN answer a ON a.session_id = s.id
                LEFT JOIN study_item i ON i.id = a.item_id
                WHERE s.study_id = :studyId AND s.kind <> :preview
                GROUP BY s.id ORDER BY s.id""", ItemKind.TRIAL, ItemKind.ATTENTION, ItemKind.PRACTICE,
            SessionKind.PREVIEW);

    private static final int FETCH = 500;
    private final Jdbi jdbi;
    private final Explanations explanations;
    private final ImageStore images;
    private final StudyCatalog catalog;

    public StudyRecords(Jdbi jdbi, Explanations explanations, ImageStore images, StudyCatalog catalog) {
        this.jdbi = jdbi;
        this.catalog = catalog;
        this.explanations = explanations;
        this.images = images;
    }

    public List<ParticipantSummary> participants(long studyId) {
        return jdbi.withHandle(handle -> handle.createQuery(PARTICIPANTS).bind("studyId", studyId)
                .map((row, context) -> participant(row)).list());
    }

    private static ParticipantSummary participant(ResultSet r) throws SQLException {
        return new ParticipantSummary(r.getLong("id"), r.getString("condition"), SessionKind.byKey(r.getString("kind")),
                SessionState.byKey(r.getString("state")), r.getString("platform"), r.getString("external_id"),
                r.getString("external_study"), r.getString("external_session"),
                r.getObject("started_at", OffsetDateTime.class), r.getObject("completed_at", OffsetDateTime.class),
                r.getString("user_agent"), r.getLong("seed"), r.getInt("planned"), r.getInt("answers"),
                r.getInt("trial_answers"), r.getInt("trial_correct"), r.getInt("attention_answers"),
                r.getInt("attention_failed"), r.getObject("median_response_ms", Double.class), r.getString("flags"),
                r.getObject("instructions_done_at", OffsetDateTime.class), r.getInt("practice_planned"),
                r.getInt("practice_answers"), r.getInt("comprehension_failures"),
                r.getBoolean("passed_comprehension"));
    }

    /** Streams every answer (participants in order, then trial order) without holding them all in memory. */
    public void forEachAnswer(long studyId, Consumer<AnswerRow> consumer) {
        ItemFacts facts = facts(List.copyOf(catalog.items(studyId).values()));
        Map<Long, String> parameters = new HashMap<>();
        // a cursor (rows fetched as they are read) lives in a transaction
        jdbi.useTransaction(handle -> handle.createQuery(EnumSql.with("""
                SELECT s.id AS session_id, s.condition, s.kind AS session_kind, s.platform, s.external_id,
                       a.item_id, i.kind AS item_kind, i.question_kind, i.image_id, a.position, i.left_patches,
                       i.right_patches, i.left_confidence, i.right_confidence, i.correct_side, t.mirrored,
                       a.chosen_side, a.chosen_item_side, a.correct, a.confidence_rating, a.shown_at,
                       a.client_time, a.server_time, a.client_response_ms,
                       (extract(epoch FROM a.server_time - a.shown_at) * 1000)::bigint AS server_response_ms,
                       i.left_in_sag, i.right_in_sag, i.explanation_id, a.response_ms
                FROM answer a
                JOIN participant_session s ON s.id = a.session_id
                JOIN trial t ON t.session_id = a.session_id AND t.item_id = a.item_id
                JOIN study_item i ON i.id = a.item_id
                WHERE s.study_id = :studyId AND s.kind <> :preview
                ORDER BY s.id, a.position""", SessionKind.PREVIEW)).setFetchSize(FETCH).bind("studyId", studyId)
                .map((row, context) -> answer(row, facts, parameters.computeIfAbsent(row.getLong("explanation_id"),
                        explanations::parametersJson)))
                .forEach(consumer));
    }

    private static AnswerRow answer(ResultSet r, ItemFacts facts, String parameters) throws SQLException {
        Explanations.ExplanationFacts explanation = facts.explanation(r.getLong("explanation_id"));
        Photos.PhotoFacts photo = facts.photo(r.getLong("image_id"));
        return new AnswerRow(r.getLong("session_id"), r.getString("condition"),
                SessionKind.byKey(r.getString("session_kind")), r.getString("platform"), r.getString("external_id"),
                r.getLong("item_id"), ItemKind.byKey(r.getString("item_kind")), r.getString("question_kind"),
                r.getLong("image_id"), photo == null ? null : photo.fileName(), explanation.predictedLabel(),
                r.getInt("position"), patches(r.getLong("left_patches")), patches(r.getLong("right_patches")),
                r.getDouble("left_confidence"), r.getDouble("right_confidence"), r.getString("correct_side"),
                r.getBoolean("mirrored"), r.getString("chosen_side"), r.getString("chosen_item_side"),
                r.getBoolean("correct"), r.getObject("confidence_rating", Integer.class),
                r.getObject("shown_at", OffsetDateTime.class), r.getObject("client_time", OffsetDateTime.class),
                r.getObject("server_time", OffsetDateTime.class), r.getObject("client_response_ms", Integer.class),
                r.getObject("server_response_ms", Long.class), r.getBoolean("left_in_sag"),
                r.getBoolean("right_in_sag"), explanation.modelSha256(), explanation.id(), parameters,
                r.getObject("response_ms", Integer.class));
    }

    public List<ExportedItem> items(long studyId) {
        List<StudyItem> items = List.copyOf(catalog.items(studyId).values());
        ItemFacts facts = facts(items);
        return items.stream().map(item -> {
            Explanations.ExplanationFacts explanation = facts.explanation(item.explanationId());
            Photos.PhotoFacts photo = facts.photo(item.imageId());
            return new ExportedItem(item,
                    photo == null ? null : photo.fileName(), explanation.pFull(), explanation.modelSha256(),
                    explanation.predictedWnid(), photo == null ? null : photo.trueWnid(),
                    photo == null ? null : photo.trueLabel());
        }).toList();
    }

    private ItemFacts facts(List<StudyItem> items) {
        return new ItemFacts(explanations.facts(items.stream().map(StudyItem::explanationId).distinct().toList()),
                images.facts(items.stream().map(StudyItem::imageId).distinct().toList()));
    }

    /** Patch indices separated by spaces ("8 17 19"): one CSV cell, no quoting needed. */
    static String patches(long bits) {
        return patches(new PatchSet(bits));
    }

    public static String patches(PatchSet set) {
        return String.join(" ", set.toList().stream().map(String::valueOf).toList());
    }

    /**
     * Every stored answer of a study's sessions as (session pseudonym, item id) pairs: what the load benchmark checks.
     * The pseudonym is the start of the SHA-256 of the session's token, which only its holder can compute.
     */
    public List<String[]> answerKeys(long studyId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT s.token, a.item_id FROM answer a JOIN participant_session s ON s.id = a.session_id
                WHERE s.study_id = :studyId""").bind("studyId", studyId)
                .map((row, context) -> new String[] {tokenPseudonym(row.getString("token")),
                    Long.toString(row.getLong("item_id"))})
                .list());
    }

    public static String tokenPseudonym(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
