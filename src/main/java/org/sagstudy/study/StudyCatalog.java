package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.sagstudy.database.Notifications;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.problem.NotFound;

/**
 * Studies and their items as the participant path reads them. An open or closed study's design and items never
 * change, so they are kept in memory; drafts (previews) are read afresh every time. A study that changes state is
 * announced to every process ({@link Notifications}), which drops its copy at once.
 */
@ApplicationScoped
public class StudyCatalog {

    public record StudyInfo(long id, String name, StudyState state, StudyDesign design) {

        public boolean isOpen() {
            return state == StudyState.OPEN;
        }
    }

    private record Entry(StudyInfo study, Map<Long, StudyItem> items) {
    }

    private final DataSource dataSource;
    private final StudyDesignJson designs;
    private final Map<Long, Entry> frozen = new ConcurrentHashMap<>();
    /** Counts forgets, so that a load that overlapped one does not keep what it read. */
    private final AtomicLong forgets = new AtomicLong();

    /** Announced with the study's id when a study changes (state, items): other processes drop their copy. */
    static final String CHANGED = "sag_study_changed";

    public StudyCatalog(DataSource dataSource, StudyDesignJson designs, Notifications notifications) {
        this.dataSource = dataSource;
        this.designs = designs;
        notifications.listen(CHANGED, id -> {
            if (id == null) {
                forgets.incrementAndGet();
                frozen.clear();
            } else {
                forget(Long.parseLong(id));
            }
        });
    }

    public Optional<StudyInfo> study(long id) {
        return entry(id).map(Entry::study);
    }

    public StudyInfo existing(long id) {
        return study(id).orElseThrow(() -> new NotFound("no study " + id));
    }

    /** The study's items by id, in the study's order. */
    public Map<Long, StudyItem> items(long studyId) {
        return entry(studyId).map(Entry::items).orElse(Map.of());
    }

    public StudyItem item(long studyId, long itemId) {
        StudyItem item = items(studyId).get(itemId);
        if (item == null) {
            throw new IllegalStateException("item " + itemId + " of study " + studyId + " is missing");
        }
        return item;
    }

    public Optional<StudyItem> example(long studyId) {
        return items(studyId).values().stream().filter(i -> i.kind() == ItemKind.EXAMPLE).findFirst();
    }

    public void forget(long studyId) {
        forgets.incrementAndGet();
        frozen.remove(studyId);
    }

    private Optional<Entry> entry(long id) {
        Entry cached = frozen.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        long forgetsBefore = forgets.get();
        Optional<Entry> loaded = load(id);
        loaded.filter(e -> e.study().state() != StudyState.DRAFT).ifPresent(e -> {
            frozen.put(id, e);
            // a change announced while this was read may be missing from it: read again next time
            if (forgets.get() != forgetsBefore) {
                frozen.remove(id, e);
            }
        });
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
                    study = new StudyInfo(id, row.getString(1), StudyState.byKey(row.getString(2)),
                            designs.read(id, row.getString(3)));
                }
            }
            Map<Long, StudyItem> items = new LinkedHashMap<>();
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT i.id, i.kind, i.question_kind, i.image_id, i.explanation_id, i.left_patches, i.right_patches,
                           i.left_confidence, i.right_confidence, i.correct_side, i.left_in_sag, i.right_in_sag,
                           e.predicted_label
                    FROM study_item i JOIN explanation e ON e.id = i.explanation_id
                    WHERE i.study_id = ? ORDER BY i.ordinal""")) {
                query.setLong(1, id);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        StudyItem item = new StudyItem(row.getLong(1), ItemKind.byKey(row.getString(2)),
                                QuestionKind.byKey(row.getString(3)).orElseThrow(), row.getLong(4), row.getLong(5), new PatchSet(row.getLong(6)),
                                new PatchSet(row.getLong(7)), row.getDouble(8), row.getDouble(9),
                                Side.byKey(row.getString(10)).orElseThrow(), row.getBoolean(11), row.getBoolean(12),
                                row.getString(13));
                        items.put(item.id(), item);
                    }
                }
            }
            return Optional.of(new Entry(study, items));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read study " + id + ": " + e.getMessage(), e);
        }
    }
}
