package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.StoredExplanation;

/** The {@link ItemAudit} of a study's stored trial questions, for its page, its exports and its pre-registration. */
@ApplicationScoped
public class ItemAudits {

    private final StudyCatalog catalog;
    private final Explanations explanations;

    public ItemAudits(StudyCatalog catalog, Explanations explanations) {
        this.catalog = catalog;
        this.explanations = explanations;
    }

    public ItemAudit of(long studyId) {
        return of(studyId, catalog.existing(studyId).design());
    }

    /** The audit of the stored items under a design about to be frozen (the study opening). */
    public ItemAudit of(long studyId, StudyDesign design) {
        return of(catalog.items(studyId).values(), design);
    }

    /** The audit of items already read (a page that shows them too reads them once). */
    ItemAudit of(Collection<StudyItem> items, StudyDesign design) {
        return ItemAudit.of(List.copyOf(audited(items).values()), design.primaryKindList());
    }

    /** The study's trial questions with what the strategies read, by item id. */
    public Map<Long, ItemAudit.AuditedItem> audited(long studyId) {
        return audited(catalog.items(studyId).values());
    }

    private Map<Long, ItemAudit.AuditedItem> audited(Collection<StudyItem> items) {
        Map<Long, Optional<StoredExplanation>> loaded = new HashMap<>();
        Map<Long, ItemAudit.AuditedItem> audited = new LinkedHashMap<>();
        for (StudyItem item : items) {
            if (item.kind() != ItemKind.TRIAL) {
                continue;
            }
            StoredExplanation explanation = loaded.computeIfAbsent(item.explanationId(), explanations::byId)
                    .orElse(null);
            audited.put(item.id(), audited(item.questionKind(), item.left(), item.right(), item.correctSide(),
                    item.leftInSag(), item.rightInSag(), item.gap(), explanation));
        }
        return audited;
    }

    static ItemAudit.AuditedItem audited(QuestionKind kind, PatchSet left, PatchSet right, Side correct,
            boolean leftInSag, boolean rightInSag, double gap, StoredExplanation explanation) {
        float[] gradcam = heat(explanation, HeatMap.Kind.GRADCAM);
        float[] igos = heat(explanation, HeatMap.Kind.IGOS);
        return new ItemAudit.AuditedItem(kind, left, right, correct, leftInSag, rightInSag, gap,
                ItemAudit.AuditedItem.heat(gradcam, left), ItemAudit.AuditedItem.heat(gradcam, right),
                ItemAudit.AuditedItem.heat(igos, left), ItemAudit.AuditedItem.heat(igos, right));
    }

    private static float[] heat(StoredExplanation explanation, HeatMap.Kind kind) {
        return explanation == null ? null : explanation.pooledHeat(kind).orElse(null);
    }
}
