package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.study.ItemKind;
import org.sagstudy.study.QuestionKind;
import org.sagstudy.study.SessionKind;
import org.sagstudy.study.SessionState;
import org.sagstudy.study.Side;
import org.sagstudy.study.StudyItem;

/** Reads a study's sessions, answers and items for analysis and export (never previews). */
@ApplicationScoped
public class ResultsRepository {

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

    private static final int FETCH = 500;
    private final DataSource dataSource;
    private final Explanations explanations;

    public ResultsRepository(DataSource dataSource, Explanations explanations) {
        this.dataSource = dataSource;
        this.explanations = explanations;
    }

    public List<ParticipantSummary> participants(long studyId) {
        List<ParticipantSummary> participants = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT s.id, s.condition, s.kind, s.state, s.platform, s.external_id, s.external_study,
                       s.external_session, s.started_at, s.completed_at, s.user_agent, s.seed,
                       (SELECT count(*) FROM trial t WHERE t.session_id = s.id),
                       count(a.item_id),
                       count(*) FILTER (WHERE i.kind = 'trial'),
                       count(*) FILTER (WHERE i.kind = 'trial' AND a.correct),
                       count(*) FILTER (WHERE i.kind = 'attention'),
                       count(*) FILTER (WHERE i.kind = 'attention' AND NOT a.correct),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_ms) FILTER (WHERE i.kind <> 'practice'),
                       s.flags, s.instructions_done_at,
                       (SELECT count(*) FROM trial t JOIN study_item p ON p.id = t.item_id
                        WHERE t.session_id = s.id AND p.kind = 'practice'),
                       count(*) FILTER (WHERE i.kind = 'practice'), s.comprehension_failures,
                       s.comprehension_passed_at IS NOT NULL
                FROM participant_session s
                LEFT JOIN answer a ON a.session_id = s.id
                LEFT JOIN study_item i ON i.id = a.item_id
                WHERE s.study_id = ? AND s.kind <> 'preview'
                GROUP BY s.id ORDER BY s.id""")) {
            query.setLong(1, studyId);
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    participants.add(new ParticipantSummary(r.getLong(1), r.getString(2),
                            SessionKind.byKey(r.getString(3)), SessionState.byKey(r.getString(4)), r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                            r.getObject(9, OffsetDateTime.class), r.getObject(10, OffsetDateTime.class),
                            r.getString(11), r.getLong(12), r.getInt(13), r.getInt(14), r.getInt(15), r.getInt(16),
                            r.getInt(17), r.getInt(18), r.getObject(19, Double.class), r.getString(20),
                            r.getObject(21, OffsetDateTime.class), r.getInt(22), r.getInt(23), r.getInt(24),
                            r.getBoolean(25)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read participants: " + e.getMessage(), e);
        }
        return participants;
    }

    /** Streams every answer (participants in order, then trial order) without holding them all in memory. */
    public void forEachAnswer(long studyId, Consumer<AnswerRow> consumer) {
        Map<Long, String> parameters = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT s.id, s.condition, s.kind, s.platform, s.external_id, a.item_id, i.kind, i.question_kind,
                           i.image_id, img.file_name, e.predicted_label, a.position, i.left_patches, i.right_patches,
                           i.left_confidence, i.right_confidence, i.correct_side, t.mirrored, a.chosen_side,
                           a.chosen_item_side, a.correct, a.confidence_rating, a.shown_at, a.client_time,
                           a.server_time, a.client_response_ms,
                           (extract(epoch FROM a.server_time - a.shown_at) * 1000)::bigint,
                           i.left_in_sag, i.right_in_sag, e.model_sha256, i.explanation_id, a.response_ms
                    FROM answer a
                    JOIN participant_session s ON s.id = a.session_id
                    JOIN trial t ON t.session_id = a.session_id AND t.item_id = a.item_id
                    JOIN study_item i ON i.id = a.item_id
                    JOIN image img ON img.id = i.image_id
                    JOIN explanation e ON e.id = i.explanation_id
                    WHERE s.study_id = ? AND s.kind <> 'preview'
                    ORDER BY s.id, a.position""")) {
                query.setFetchSize(FETCH);
                query.setLong(1, studyId);
                try (ResultSet r = query.executeQuery()) {
                    while (r.next()) {
                        Integer rating = (Integer) r.getObject(22, Integer.class);
                        Integer clientMs = (Integer) r.getObject(26, Integer.class);
                        Long serverMs = (Long) r.getObject(27, Long.class);
                        consumer.accept(new AnswerRow(r.getLong(1), r.getString(2),
                                SessionKind.byKey(r.getString(3)), r.getString(4), r.getString(5), r.getLong(6),
                                ItemKind.byKey(r.getString(7)), r.getString(8), r.getLong(9),
                                r.getString(10), r.getString(11), r.getInt(12), patches(r.getLong(13)),
                                patches(r.getLong(14)), r.getDouble(15), r.getDouble(16), r.getString(17),
                                r.getBoolean(18), r.getString(19), r.getString(20), r.getBoolean(21), rating,
                                r.getObject(23, OffsetDateTime.class), r.getObject(24, OffsetDateTime.class),
                                r.getObject(25, OffsetDateTime.class), clientMs, serverMs, r.getBoolean(28),
                                r.getBoolean(29), r.getString(30), r.getLong(31),
                                parameters.computeIfAbsent(r.getLong(31), explanations::parametersJson),
                                r.getObject(32, Integer.class)));
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read answers: " + e.getMessage(), e);
        }
    }

    public List<ExportedItem> items(long studyId) {
        List<ExportedItem> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT i.id, i.kind, i.question_kind, i.image_id, img.file_name, e.predicted_label, e.p_full, i.explanation_id,
                       e.model_sha256, i.left_patches, i.right_patches, i.left_confidence, i.right_confidence,
                       i.correct_side, i.left_in_sag, i.right_in_sag, e.document #>> '{predicted,wnid}',
                       img.true_wnid, img.true_label
                FROM study_item i JOIN image img ON img.id = i.image_id JOIN explanation e ON e.id = i.explanation_id
                WHERE i.study_id = ? ORDER BY i.ordinal""")) {
            query.setLong(1, studyId);
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    StudyItem item = new StudyItem(r.getLong(1), ItemKind.byKey(r.getString(2)),
                            QuestionKind.byKey(r.getString(3)).orElseThrow(),
                            r.getLong(4), r.getLong(8), new PatchSet(r.getLong(10)), new PatchSet(r.getLong(11)),
                            r.getDouble(12), r.getDouble(13), Side.byKey(r.getString(14)).orElseThrow(),
                            r.getBoolean(15), r.getBoolean(16), r.getString(6));
                    items.add(new ExportedItem(item, r.getString(5), r.getDouble(7), r.getString(9), r.getString(17),
                            r.getString(18), r.getString(19)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read items: " + e.getMessage(), e);
        }
        return items;
    }

    /** Patch indices separated by spaces ("8 17 19"): one CSV cell, no quoting needed. */
    static String patches(long bits) {
        return patches(new PatchSet(bits));
    }

    static String patches(PatchSet set) {
        return String.join(" ", set.toList().stream().map(String::valueOf).toList());
    }

    /**
     * Every stored answer of a study's sessions as (session pseudonym, item id) pairs: what the load benchmark checks.
     * The pseudonym is the start of the SHA-256 of the session's token, which only its holder can compute.
     */
    public List<String[]> answerKeys(long studyId) {
        List<String[]> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT s.token, a.item_id FROM answer a JOIN participant_session s ON s.id = a.session_id
                WHERE s.study_id = ?""")) {
            query.setLong(1, studyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(new String[] {tokenPseudonym(rows.getString(1)), Long.toString(rows.getLong(2))});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read answers: " + e.getMessage(), e);
        }
        return keys;
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
