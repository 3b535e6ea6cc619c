package org.sagstudy.jobs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One queued explanation of one image with one model and parameter set. State changes go through {@link JobQueue}. */
@Entity
@Table(name = "job")
class JobEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    @Convert(converter = JobKind.Column.class)
    public JobKind kind = JobKind.EXPLAIN;

    @Column(name = "image_id", nullable = false)
    public Long imageId;

    /** The explanation a confidences job adds to. */
    @Column(name = "explanation_id")
    public Long explanationId;

    @Column(name = "model_sha256", nullable = false)
    public String modelSha256;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String parameters;

    @Column(nullable = false)
    @Convert(converter = JobState.Column.class)
    public JobState state = JobState.QUEUED;

    public String phase;

    @Column(nullable = false)
    public double progress;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "max_attempts", nullable = false)
    public int maxAttempts = 3;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public OffsetDateTime leaseExpiresAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
}
