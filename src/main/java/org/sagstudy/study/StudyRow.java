package org.sagstudy.study;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A row of {@code study}: a study with its design ({@link StudyDesign} as JSON, read through {@link StudyDesignJson})
 * and state: draft (editable), open (frozen, taking participants) or closed.
 *
 * @param problems why the design cannot be opened as it stands (one per line); empty when it can
 * @param imported imported from a protocol file: its items came with it and are never rebuilt
 * @param preregistration the pre-registration written when the study opened (Markdown); null before
 */
record StudyRow(long id, String name, StudyState state, String design, String problems, OffsetDateTime createdAt,
        boolean imported, OffsetDateTime openedAt, OffsetDateTime closedAt, String preregistration,
        String preregistrationSha256, OffsetDateTime preregisteredAt) {

    boolean isDraft() {
        return state == StudyState.DRAFT;
    }

    List<String> problemList() {
        return problems.isEmpty() ? List.of() : List.of(problems.split("\n"));
    }
}
