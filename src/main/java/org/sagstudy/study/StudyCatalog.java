package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.sagstudy.database.Notifications;
import org.sagstudy.explanations.Explanations;
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

    private final Jdbi jdbi;
    private final StudyDesignJson designs;
    private final Explanations explanations;
    private final Map<Long, Entry> frozen = new ConcurrentHashMap<>();
    /** Counts forgets, so that a load that overlapped one does not keep what it read. */
    private final AtomicLong forgets = new AtomicLong();

    /** Announced with the study's id when a study changes (state, items): other processes drop their copy. */
    static final String CHANGED = "sag_study_changed";

    public StudyCatalog(Jdbi jdbi, StudyDesignJson designs, Notifications notifications,
            Explanations explanations) {
        this.jdbi = jdbi;
        this.explanations = explanations;
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
        return jdbi.withHandle(handle -> handle.createQuery("SELECT name, state, design FROM study WHERE id = :id")
                .bind("id", id).map((row, context) -> new StudyInfo(id, row.getString("name"),
                        StudyState.byKey(row.getString("state")), designs.read(id, row.getString("design"))))
                .findOne()).map(study -> new Entry(study, labelledItems(id)));
    }

    /** The study's items in order, each with the class its explanation predicted. */
    private Map<Long, StudyItem> labelledItems(long studyId) {
        List<StudyItem> unlabelled = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT " + StudyItem.COLUMNS + " FROM study_item WHERE study_id = :studyId ORDER BY ordinal")
                .bind("studyId", studyId).map((row, context) -> StudyItem.read(row, null)).list());
        Map<Long, Explanations.ExplanationFacts> facts = explanations.facts(unlabelled.stream()
                .map(StudyItem::explanationId).distinct().toList());
        Map<Long, StudyItem> items = new LinkedHashMap<>();
        for (StudyItem item : unlabelled) {
            items.put(item.id(), item.withLabel(facts.get(item.explanationId()).predictedLabel()));
        }
        return items;
    }
}
