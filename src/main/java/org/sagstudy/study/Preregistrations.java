package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * A study's pre-registration: written once when the study opens (by the {@link Writer} the results package provides,
 * which knows the analysis and the power), hashed, stored with the study; and the log of what happened to the study
 * after that (closing before the planned sample, ...), which the document and the export show below it.
 */
@ApplicationScoped
public class Preregistrations {

    /** Writes the document of a study about to open (its items are stored and frozen). */
    public interface Writer {
        String markdown(long studyId, String name, StudyDesign design);
    }

    /** One entry of the deviations log. */
    public record Deviation(OffsetDateTime recordedAt, String description) {
    }

    /**
     * @param registered false for a draft: the document is a preview of what opening will register
     * @param sha256 SHA-256 of {@code markdown} (UTF-8), the document without the deviations log
     */
    public record Registration(long studyId, boolean registered, OffsetDateTime registeredAt, String sha256,
            String markdown, List<Deviation> deviations) {

        /** The document with its deviations log below it (outside the hash). */
        public String withDeviations() {
            StringBuilder text = new StringBuilder(markdown);
            text.append("\n## Deviations log\n\n");
            if (!registered) {
                text.append(sha256 == null ? "Nothing was registered.\n"
                        : "Draft: not registered yet. The document is written and hashed when the study opens.\n");
            } else {
                text.append("SHA-256 of the document above (UTF-8, up to this heading): `").append(sha256)
                        .append("`, registered ").append(registeredAt.toInstant()).append(".\n\n");
                if (deviations.isEmpty()) {
                    text.append("None.\n");
                }
                deviations.forEach(d -> text.append("- ").append(d.recordedAt().toInstant()).append(": ")
                        .append(d.description()).append('\n'));
            }
            return text.toString();
        }
    }

    private final Instance<Writer> writer;
    private final DataSource dataSource;
    private final StudyCatalog catalog;

    public Preregistrations(Instance<Writer> writer, DataSource dataSource, StudyCatalog catalog) {
        this.writer = writer;
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /** Writes and hashes the document of a study that is opening, in the transaction that opens it. */
    void register(StudyEntity study, StudyDesign design) {
        study.preregistration = writer.get().markdown(study.id, study.name, design);
        study.preregistrationSha256 = sha256(study.preregistration);
        study.preregisteredAt = study.openedAt;
    }

    /** The stored registration of an open or closed study, or a preview for a draft. */
    public Registration of(long studyId) {
        StudyEntity study = StudyLifecycle.find(studyId);
        if (study.preregistration == null && !study.isDraft()) {
            return new Registration(studyId, false, null, null, "# No pre-registration: " + study.name + "\n\nStudy "
                    + studyId + " opened before this server wrote pre-registrations: nothing was registered.\n",
                    deviations(studyId));
        }
        if (study.preregistration == null) {
            String preview = writer.get().markdown(studyId, study.name, catalog.existing(studyId).design());
            return new Registration(studyId, false, null, sha256(preview), preview, List.of());
        }
        return new Registration(studyId, true, study.preregisteredAt, study.preregistrationSha256,
                study.preregistration, deviations(studyId));
    }

    void recordDeviation(long studyId, String description) {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO study_deviation (study_id, description) VALUES (?, ?)")) {
            insert.setLong(1, studyId);
            insert.setString(2, description);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot log a deviation of study " + studyId + ": " + e.getMessage(), e);
        }
    }

    public List<Deviation> deviations(long studyId) {
        List<Deviation> deviations = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT recorded_at, description FROM study_deviation WHERE study_id = ? ORDER BY id")) {
            query.setLong(1, studyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    deviations.add(new Deviation(rows.getObject("recorded_at", OffsetDateTime.class),
                            rows.getString("description")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the deviations of study " + studyId + ": " + e.getMessage(),
                    e);
        }
        return deviations;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
