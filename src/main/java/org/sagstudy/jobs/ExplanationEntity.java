package org.sagstudy.jobs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The stored result of a job: the engine's JSON document, with the fields pages list by. */
@Entity
@Table(name = "explanation")
public class ExplanationEntity extends PanacheEntityBase {

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

    /** What a page shows of the newest explanation of an image. */
    public record Summary(String predictedLabel, double pFull, String dnf) {
    }

    /** The summary without loading and parsing the whole document. */
    public static Optional<Summary> summaryFor(long imageId) {
        List<?> rows = getEntityManager().createNativeQuery("SELECT predicted_label, p_full, document->>'dnf' "
                + "FROM explanation WHERE image_id = ?1 ORDER BY id DESC LIMIT 1").setParameter(1, imageId)
                .getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] columns = (Object[]) row;
            return new Summary((String) columns[0], ((Number) columns[1]).doubleValue(), (String) columns[2]);
        });
    }

    /** The newest explanation of an image. */
    public static Optional<ExplanationEntity> latestFor(long imageId) {
        return find("imageId = ?1 order by id desc", imageId).firstResultOptional();
    }
}
