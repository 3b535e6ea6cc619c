package org.sagstudy.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A study with its design (JSON) and state: draft (editable), open (frozen, taking participants) or closed. */
@Entity
@Table(name = "study")
public class StudyEntity extends PanacheEntityBase {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String state = "draft";

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String design;

    /** Why the design cannot be opened as it stands (one per line); empty when it can. */
    @Column(nullable = false)
    public String problems = "";

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "opened_at")
    public OffsetDateTime openedAt;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;

    public StudyDesign design() {
        try {
            return JSON.readValue(design, StudyDesign.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("study " + id + " has an unreadable design: " + e.getMessage(), e);
        }
    }

    public void setDesign(StudyDesign value) {
        try {
            design = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isDraft() {
        return "draft".equals(state);
    }
}
