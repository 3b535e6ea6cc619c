package org.sagstudy.explanations;

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

/**
 * The stored result of a job: the engine's document ({@link StoredExplanation} as JSON), with the fields pages list
 * by. Read it through {@link Explanations}.
 */
@Entity
@Table(name = "explanation")
class ExplanationEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id", nullable = false, unique = true)
    public Long jobId;

    @Column(name = "image_id", nullable = false)
    public Long imageId;

    @Column(name = "model_sha256", nullable = false)
    public String modelSha256;

    @Column(name = "predicted_index", nullable = false)
    public int predictedIndex;

    @Column(name = "predicted_label", nullable = false)
    public String predictedLabel;

    @Column(name = "p_full", nullable = false)
    public double pFull;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String document;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();
}
