package org.sagstudy.study;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A study with its design ({@link StudyDesign} as JSON, read through {@link StudyDesignJson}) and state: draft
 * (editable), open (frozen, taking participants) or closed.
 */
@Entity
@Table(name = "study")
class StudyEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    @Convert(converter = StudyState.Column.class)
    public StudyState state = StudyState.DRAFT;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String design;

    /** Why the design cannot be opened as it stands (one per line); empty when it can. */
    @Column(nullable = false)
    public String problems = "";

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    /** Imported from a protocol file: its items came with it and are never rebuilt. */
    @Column(nullable = false)
    public boolean imported;

    @Column(name = "opened_at")
    public OffsetDateTime openedAt;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;

    /** The pre-registration written when the study opened (Markdown); null before. */
    public String preregistration;

    @Column(name = "preregistration_sha256")
    public String preregistrationSha256;

    @Column(name = "preregistered_at")
    public OffsetDateTime preregisteredAt;

    public boolean isDraft() {
        return state == StudyState.DRAFT;
    }

    public List<String> problemList() {
        return problems.isEmpty() ? List.of() : List.of(problems.split("\n"));
    }
}
