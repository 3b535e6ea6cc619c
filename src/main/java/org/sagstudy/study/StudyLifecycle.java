package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.sagstudy.database.Notifications;
import org.sagstudy.problem.Conflict;
import org.sagstudy.problem.Invalid;

/**
 * The experimenter's side of a study's life: create and edit drafts (the items are rebuilt from the stored
 * explanations on every change), open (only without problems; the design is frozen from then on), close, delete.
 */
@ApplicationScoped
public class StudyLifecycle {

    private final StudyItems items;
    private final StudyCatalog catalog;
    private final StudyDesignJson designs;
    private final TransactionSynchronizationRegistry transactions;
    private final Notifications notifications;
    private final Preregistrations preregistrations;
    private final SessionCounts counts;
    private final ItemAudits audits;
    private final StudyModels models;
    private final StudyStore studies;

    public StudyLifecycle(StudyStore studies, StudyItems items, StudyCatalog catalog, StudyDesignJson designs,
            TransactionSynchronizationRegistry transactions, Notifications notifications,
            Preregistrations preregistrations, SessionCounts counts, ItemAudits audits, StudyModels models) {
        this.studies = studies;
        this.items = items;
        this.models = models;
        this.audits = audits;
        this.preregistrations = preregistrations;
        this.counts = counts;
        this.catalog = catalog;
        this.designs = designs;
        this.transactions = transactions;
        this.notifications = notifications;
    }

    @Transactional
    public long create(String name, StudyDesign given) {
        StudyDesign design = models.draft(given);
        long id = studies.insert(checkedName(name), designs.write(design), false);
        rebuild(id, false, design);
        return id;
    }

    @Transactional
    public void update(long id, String name, StudyDesign given) {
        StudyDesign design = models.draft(given);
        StudyRow study = studies.locked(id);
        requireState(study, StudyState.DRAFT, "its design is frozen");
        if (study.imported()) {
            throw new Conflict("study " + id + " was imported: it runs with the items it came with (import a "
                    + "changed protocol instead)");
        }
        studies.setNameAndDesign(id, checkedName(name), designs.write(design));
        rebuild(id, false, design);
    }

    @Transactional
    public void open(long id) {
        StudyRow study = studies.locked(id);
        requireState(study, StudyState.DRAFT, "it cannot open again");
        StudyDesign design = designs.read(study);
        String problems = rebuild(id, study.imported(), design);
        if (!problems.isEmpty()) {
            throw new Conflict("study " + id + " cannot open: " + problems.replace("\n", "; "));
        }
        if (!study.imported()) {
            design = models.frozen(design);
            studies.setDesign(id, designs.write(design));
        }
        studies.open(id);
        forget(id);
        preregistrations.register(id, study.name(), design);
    }

    @Transactional
    public void close(long id) {
        StudyRow study = studies.locked(id);
        requireState(study, StudyState.OPEN, "only open studies close");
        preregistrations.recordDeviation(id, closing(id, designs.read(study)));
        studies.close(id);
        forget(id);
    }

    /** What closing means for the registered stopping rule: met, early (with the counts), or no plan to meet. */
    private String closing(long id, StudyDesign design) {
        List<SessionCounts.ConditionCount> byCondition = counts.of(id, design);
        String completed = byCondition.stream().map(c -> c.condition() + " " + c.completed())
                .collect(Collectors.joining(", "));
        int planned = design.plannedPerCondition();
        if (planned == 0) {
            return "closed by the experimenter (no planned sample was registered); completed sessions: " + completed;
        }
        boolean met = byCondition.stream().allMatch(c -> c.completed() >= planned);
        return (met ? "closed with the planned sample" : "closed early, before the planned sample of " + planned
                + " per condition (a deviation)") + "; completed sessions: " + completed;
    }

    /**
     * Builds a draft's items again when its last build made none because of problems: they may have gone (a photo's
     * explanation finished meanwhile). A draft with items keeps them and its previews.
     */
    @Transactional
    public StudyRow refreshed(long id) {
        StudyRow study = studies.existing(id);
        if (study.isDraft() && !study.problems().isEmpty() && catalog.items(id).isEmpty()) {
            study = studies.locked(id);
            if (study.isDraft()) {
                rebuild(id, study.imported(), designs.read(study));
                study = studies.existing(id);
            }
        }
        return study;
    }

    /** Deletes a draft with its items and previews; open and closed studies keep their data. */
    @Transactional
    public void delete(long id) {
        requireState(studies.locked(id), StudyState.DRAFT, "only drafts can be deleted");
        studies.delete(id);
        forget(id);
    }

    private static void requireState(StudyRow study, StudyState wanted, String otherwise) {
        if (study.state() != wanted) {
            throw new Conflict("study " + study.id() + " is " + study.state().key() + ": " + otherwise);
        }
    }

    /** Builds the items again (an imported study keeps its own) and stores the problems found; returns them. */
    private String rebuild(long id, boolean imported, StudyDesign design) {
        String problems = String.join("\n", imported ? importedProblems(id, design) : items.rebuild(id, design));
        studies.setProblems(id, problems);
        forget(id);
        return problems;
    }

    /** An imported study keeps its items, and opens only if they pass the same audit as built ones. */
    private List<String> importedProblems(long id, StudyDesign design) {
        List<String> problems = new ArrayList<>(design.problems());
        if (!catalog.items(id).isEmpty()) {
            problems.addAll(audits.of(id, design).refusals());
        }
        return problems;
    }

    /**
     * Drops the cached copy now and again once the transaction has ended: a participant request between the two
     * could otherwise cache the state the transaction is about to replace.
     */
    private void forget(long id) {
        catalog.forget(id);
        notifications.announce(StudyCatalog.CHANGED, Long.toString(id));
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
            throw new Invalid("the study needs a name");
        }
        if (name.length() > 200) {
            throw new Invalid("the name is longer than 200 characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid("the name contains control characters");
        }
        return name.trim();
    }
}
