package org.sagstudy.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.sagstudy.explain.PatchSet;

/**
 * Studies and their items as the participant path reads them. An open or closed study's design and items never
 * change, so they are kept in memory; drafts (previews) are read afresh every time.
 */
@ApplicationScoped
public class StudyCatalog {

    public record StudyInfo(long id, String name, String state, StudyDesign design) {

        public boolean isOpen() {
            return "open".equals(state);
        }
    }

    /** An item with its answer key (server side only). */
    public record Item(long id, ItemBuilder.Kind kind, String source, long imageId, long explanationId,
            PatchSet left, PatchSet right, double leftConfidence, double rightConfidence, Side correctSide,
            boolean leftInSag, boolean rightInSag, String label) {

        public PatchSet patches(Side side) {
            return side == Side.LEFT ? left : right;
        }

        public double confidence(Side side) {
            return side == Side.LEFT ? leftConfidence : rightConfidence;
        }

        /** The class name participants read: the first of ImageNet's synonyms ("racer, race car" gives "racer"). */
        public String shortLabel() {
            int comma = label.indexOf(',');
            return comma < 0 ? label : label.substring(0, comma);
        }
    }

    private record Entry(StudyInfo study, Map<Long, Item> items) {
    }

    private final DataSource dataSource;
    private final Map<Long, Entry> frozen = new ConcurrentHashMap<>();

    public StudyCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<StudyInfo> study(long id) {
        return entry(id).map(Entry::study);
    }

    /** The study's items by id, in the study's order. */
    public Map<Long, Item> items(long studyId) {
        return entry(studyId).map(Entry::items).orElse(Map.of());
    }

    public void forget(long studyId) {
        frozen.remove(studyId);
    }

    private Optional<Entry> entry(long id) {
        Entry cached = frozen.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Entry> loaded = load(id);
        loaded.filter(e -> !"draft".equals(e.study().state())).ifPresent(e -> frozen.put(id, e));
        return loaded;
    }

    private Optional<Entry> load(long id) {
        try (Connection c = dataSource.getConnection()) {
            StudyInfo study;
            try (PreparedStatement query = c.prepareStatement("SELECT name, state, design FROM study WHERE id = ?")) {
                query.setLong(1, id);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    study = new StudyInfo(id, row.getString(1), row.getString(2),
                            StudyEntity.JSON.readValue(row.getString(3), StudyDesign.class));
                }
            }
            Map<Long, Item> items = new LinkedHashMap<>();
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT i.id, i.kind, i.source, i.image_id, i.explanation_id, i.left_patches, i.right_patches,
                           i.left_confidence, i.right_confidence, i.correct_side, i.left_in_sag, i.right_in_sag,
                           e.predicted_label
                    FROM study_item i JOIN explanation e ON e.id = i.explanation_id
                    WHERE i.study_id = ? ORDER BY i.ordinal""")) {
                query.setLong(1, id);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        Item item = new Item(row.getLong(1), ItemBuilder.Kind.valueOf(row.getString(2).toUpperCase(
                                java.util.Locale.ROOT)), row.getString(3), row.getLong(4), row.getLong(5),
                                new PatchSet(row.getLong(6)), new PatchSet(row.getLong(7)), row.getDouble(8),
                                row.getDouble(9), Side.byKey(row.getString(10)).orElseThrow(), row.getBoolean(11),
                                row.getBoolean(12), row.getString(13));
                        items.put(item.id(), item);
                    }
                }
            }
            return Optional.of(new Entry(study, items));
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read study " + id + ": " + e.getMessage(), e);
        }
    }
}
