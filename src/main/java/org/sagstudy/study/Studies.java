package org.sagstudy.study;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.sagstudy.admin.StoredRenderings;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;
import org.sagstudy.images.ImageEntity;
import org.sagstudy.jobs.ExplanationEntity;
import org.sagstudy.output.ExplanationJson;

/**
 * The experimenter's side of studies: create and edit drafts (the items are rebuilt from the stored explanations on
 * every change), open (only without problems; the design is frozen from then on) and close.
 */
@ApplicationScoped
public class Studies {

    /** Participants per condition and state; preview and simulated sessions are counted apart. */
    public record ConditionCount(String condition, int completed, int active, int started, int preview,
            int simulated) {
    }

    /** A photo that can be used in a study: it has an explanation. */
    public record ExplainedPhoto(long imageId, String fileName, String label, double pFull) {
    }

    private final DataSource dataSource;
    private final StudyCatalog catalog;
    private final TransactionSynchronizationRegistry transactions;

    public Studies(DataSource dataSource, StudyCatalog catalog, TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    public StudyEntity find(long id) {
        StudyEntity study = StudyEntity.findById(id);
        if (study == null) {
            throw StudyException.notFound("no study " + id);
        }
        return study;
    }

    @Transactional
    public StudyEntity create(String name, StudyDesign design) {
        StudyEntity study = new StudyEntity();
        study.name = checkedName(name);
        study.setDesign(design);
        study.persist();
        rebuildItems(study);
        return study;
    }

    @Transactional
    public StudyEntity update(long id, String name, StudyDesign design) {
        StudyEntity study = find(id);
        if (!study.isDraft()) {
            throw StudyException.conflict("study " + id + " is " + study.state + ": its design is frozen");
        }
        study.name = checkedName(name);
        study.setDesign(design);
        rebuildItems(study);
        return study;
    }

    @Transactional
    public StudyEntity open(long id) {
        StudyEntity study = find(id);
        if (!study.isDraft()) {
            throw StudyException.conflict("study " + id + " is already " + study.state);
        }
        rebuildItems(study);
        if (!study.problems.isEmpty()) {
            throw StudyException.conflict("study " + id + " cannot open: " + study.problems.replace("\n", "; "));
        }
        study.state = "open";
        study.openedAt = OffsetDateTime.now();
        forget(id);
        return study;
    }

    @Transactional
    public StudyEntity close(long id) {
        StudyEntity study = find(id);
        if (!"open".equals(study.state)) {
            throw StudyException.conflict("study " + id + " is " + study.state + ", not open");
        }
        study.state = "closed";
        study.closedAt = OffsetDateTime.now();
        forget(id);
        return study;
    }

    /**
     * Builds a draft's items again when its last build made none because of problems: they may have gone (a photo's
     * explanation finished meanwhile). A draft with items keeps them and its previews.
     */
    @Transactional
    public StudyEntity refreshed(long id) {
        StudyEntity study = find(id);
        if (study.isDraft() && !study.problems.isEmpty() && catalog.items(id).isEmpty()) {
            rebuildItems(study);
        }
        return study;
    }

    /** Deletes a draft with its items and previews; open and closed studies keep their data. */
    @Transactional
    public void delete(long id) {
        StudyEntity study = find(id);
        if (!study.isDraft()) {
            throw StudyException.conflict("study " + id + " is " + study.state + ": only drafts can be deleted");
        }
        study.delete();
        forget(id);
    }

    /**
     * Drops the cached copy now and again once the transaction has ended: a participant request between the two
     * could otherwise cache the state the transaction is about to replace.
     */
    private void forget(long id) {
        catalog.forget(id);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                catalog.forget(id);
            }
        });
    }

    private static String checkedName(String name) {
        if (name == null || name.isBlank()) {
            throw StudyException.badRequest("the study needs a name");
        }
        if (name.length() > 200) {
            throw StudyException.badRequest("the name is longer than 200 characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw StudyException.badRequest("the name contains control characters");
        }
        return name.trim();
    }

    /** Replaces the draft's items (and its preview sessions) with those the design gives now; records problems. */
    private void rebuildItems(StudyEntity study) {
        StudyDesign design = study.design();
        List<String> problems = new ArrayList<>(design.problems());
        if (design.imageIds() != null && design.imageIds().isEmpty()) {
            problems.add("choose at least one photo for the trials");
        }
        List<ItemBuilder.Item> items = List.of();
        if (problems.isEmpty()) {
            List<ItemBuilder.ExplainedImage> trial = explained(design.imageIds(), design, problems);
            List<ItemBuilder.ExplainedImage> practice = explained(design.practiceImageIds(), design, problems);
            if (problems.isEmpty()) {
                ItemBuilder.Plan plan = new ItemBuilder(design).build(trial, practice);
                problems.addAll(plan.problems());
                items = plan.items();
            }
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement sessions = c.prepareStatement("DELETE FROM participant_session WHERE study_id = ?");
                    PreparedStatement old = c.prepareStatement("DELETE FROM study_item WHERE study_id = ?")) {
                sessions.setLong(1, study.id);
                sessions.executeUpdate();
                old.setLong(1, study.id);
                old.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO study_item (study_id, ordinal, kind, source, image_id, explanation_id, left_patches,
                        right_patches, left_confidence, right_confidence, correct_side, left_in_sag, right_in_sag)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int ordinal = 0;
                for (ItemBuilder.Item item : items) {
                    insert.setLong(1, study.id);
                    insert.setInt(2, ordinal++);
                    insert.setString(3, item.kind().key());
                    insert.setString(4, item.source().key());
                    insert.setLong(5, item.image().imageId());
                    insert.setLong(6, item.image().explanationId());
                    insert.setLong(7, item.left().bits());
                    insert.setLong(8, item.right().bits());
                    insert.setDouble(9, item.leftConfidence());
                    insert.setDouble(10, item.rightConfidence());
                    insert.setString(11, item.correctSide().key());
                    insert.setBoolean(12, item.leftInSag());
                    insert.setBoolean(13, item.rightInSag());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the items of study " + study.id + ": " + e.getMessage(), e);
        }
        study.problems = String.join("\n", problems);
        forget(study.id);
    }

    private List<ItemBuilder.ExplainedImage> explained(List<Long> imageIds, StudyDesign design,
            List<String> problems) {
        List<ItemBuilder.ExplainedImage> images = new ArrayList<>();
        for (long imageId : imageIds) {
            ImageEntity image = ImageEntity.findById(imageId);
            if (image == null) {
                problems.add("photo " + imageId + " does not exist");
                continue;
            }
            ExplanationEntity explanation = ExplanationEntity.latestFor(imageId).orElse(null);
            if (explanation == null) {
                problems.add("photo " + imageId + " (" + image.fileName + ") has no explanation yet");
                continue;
            }
            if (explanation.pFull < design.minPFull()) {
                problems.add(String.format(Locale.ROOT,
                        "photo %d (%s): the model's confidence %.2f is below the minimum %.2f", imageId,
                        image.fileName, explanation.pFull, design.minPFull()));
                continue;
            }
            JsonNode document = StoredRenderings.parse(explanation);
            for (Condition condition : design.conditionList()) {
                if (condition.isHeatMap() && !document.has(condition == Condition.GRADCAM ? "gradcamMap"
                        : "igosMap")) {
                    problems.add("photo " + imageId + " (" + image.fileName + ") was explained without heat maps");
                    break;
                }
            }
            Sag full = ExplanationJson.readSag(document);
            Sag shown = ShownSag.of(full, design.sagRoots(), design.sagDepth(), design.sagChildren());
            Map<PatchSet, Double> known = knownConfidences(explanation.id);
            full.nodes().forEach(node -> known.putIfAbsent(node.patches(), node.confidence()));
            known.put(PatchSet.all(49), explanation.pFull);
            images.add(new ItemBuilder.ExplainedImage(imageId, explanation.id, explanation.pFull, shown, known));
        }
        return images;
    }

    private Map<PatchSet, Double> knownConfidences(long explanationId) {
        Map<PatchSet, Double> known = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT patches, confidence FROM masked_confidence WHERE explanation_id = ?")) {
            query.setLong(1, explanationId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    known.put(new PatchSet(rows.getLong(1)), rows.getDouble(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read masked confidences: " + e.getMessage(), e);
        }
        return known;
    }

    /** Sessions per condition of the design (and of any other condition that has sessions). */
    public List<ConditionCount> counts(long studyId, StudyDesign design) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        design.conditions().forEach(c -> counts.put(c, new int[5]));
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT condition,
                       count(*) FILTER (WHERE kind = 'participant' AND state = 'completed'),
                       count(*) FILTER (WHERE kind = 'participant' AND state = 'active'
                                        AND last_seen_at > now() - make_interval(mins => ?)),
                       count(*) FILTER (WHERE kind = 'participant'),
                       count(*) FILTER (WHERE kind = 'preview'),
                       count(*) FILTER (WHERE kind = 'simulated')
                FROM participant_session WHERE study_id = ? GROUP BY condition""")) {
            query.setInt(1, design.activeMinutes());
            query.setLong(2, studyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int[] n = counts.computeIfAbsent(rows.getString(1), k -> new int[5]);
                    for (int i = 0; i < 5; i++) {
                        n[i] = rows.getInt(i + 2);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count sessions: " + e.getMessage(), e);
        }
        return counts.entrySet().stream().map(e -> new ConditionCount(e.getKey(), e.getValue()[0], e.getValue()[1],
                e.getValue()[2], e.getValue()[3], e.getValue()[4])).toList();
    }

    /** Every photo with an explanation (its newest), in upload order. */
    public List<ExplainedPhoto> explainedPhotos() {
        List<ExplainedPhoto> photos = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT DISTINCT ON (i.id) i.id, i.file_name, e.predicted_label, e.p_full
                FROM image i JOIN explanation e ON e.image_id = i.id ORDER BY i.id, e.id DESC""")) {
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    photos.add(new ExplainedPhoto(rows.getLong(1), rows.getString(2), rows.getString(3),
                            rows.getDouble(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list photos: " + e.getMessage(), e);
        }
        return photos;
    }
}
