package org.sagstudy.study;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import org.sagstudy.problem.Invalid;

/**
 * What the experimenter's pages and the study API do with studies, returning the views both show: create and edit
 * (the body names only what differs from the defaults, or for an edit from the current design), open, close, delete.
 */
@ApplicationScoped
public class StudyEditor {

    /** A study's name and the design fields that change. */
    public record StudyRequest(String name, JsonNode design) {
    }

    /** A study in a list. */
    public record StudySummary(long id, String name, StudyState state, List<String> problems,
            List<SessionCounts.ConditionCount> participants, String link) {
    }

    /** A study with its design and items. */
    public record StudyDetail(long id, String name, StudyState state, List<String> problems,
            List<SessionCounts.ConditionCount> participants, String link, StudyDesign design,
            OffsetDateTime createdAt, OffsetDateTime openedAt, OffsetDateTime closedAt, boolean imported,
            List<StudyItem> items, ItemAudit audit, String preregistrationSha256) {

        public List<String> auditHeader() {
            return ItemAudit.header();
        }

        public boolean draft() {
            return state == StudyState.DRAFT;
        }

        public boolean open() {
            return state == StudyState.OPEN;
        }
    }

    private final StudyLifecycle lifecycle;
    private final StudyCatalog catalog;
    private final StudyDesignJson designs;
    private final SessionCounts counts;
    private final ItemAudits audits;
    private final StudyStore studies;

    public StudyEditor(StudyLifecycle lifecycle, StudyCatalog catalog, StudyDesignJson designs,
            SessionCounts counts, ItemAudits audits, StudyStore studies) {
        this.audits = audits;
        this.studies = studies;
        this.lifecycle = lifecycle;
        this.catalog = catalog;
        this.designs = designs;
        this.counts = counts;
    }

    @Transactional
    public List<StudySummary> list() {
        return studies.all().stream().map(study -> {
            StudyDesign design = designs.read(study);
            return new StudySummary(study.id(), study.name(), study.state(), study.problemList(),
                    counts.of(study.id(), design), link(study.id()));
        }).toList();
    }

    public StudyDetail create(StudyRequest request) {
        return detail(lifecycle.create(name(request), designs.merge(StudyDesign.defaults(), designOf(request))));
    }

    public StudyDetail update(long id, StudyRequest request) {
        StudyDesign current = designs.read(studies.existing(id));
        lifecycle.update(id, name(request), designs.merge(current, designOf(request)));
        return detail(id);
    }

    /** {@code open} or {@code close}. */
    public StudyDetail change(long id, String action) {
        if (action.equals("open")) {
            lifecycle.open(id);
        } else {
            lifecycle.close(id);
        }
        return detail(id);
    }

    public void delete(long id) {
        lifecycle.delete(id);
    }

    @Transactional
    public StudyDetail detail(long id) {
        StudyRow study = lifecycle.refreshed(id);
        StudyDesign design = designs.read(study);
        List<StudyItem> items = List.copyOf(catalog.items(id).values());
        return new StudyDetail(study.id(), study.name(), study.state(), study.problemList(), counts.of(id, design),
                link(id), design, study.createdAt(), study.openedAt(), study.closedAt(), study.imported(), items,
                items.isEmpty() ? null : audits.of(items, design), study.preregistrationSha256());
    }

    private static String link(long id) {
        return "/studies/" + id;
    }

    private static String name(StudyRequest request) {
        if (request == null || request.name() == null) {
            throw new Invalid("send a JSON object with a name (and optionally a design)");
        }
        return request.name();
    }

    private static JsonNode designOf(StudyRequest request) {
        return request == null ? null : request.design();
    }
}
