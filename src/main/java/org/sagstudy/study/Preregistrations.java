package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

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

    private static final RowMapper<Deviation> DEVIATION_ROW = ConstructorMapper.of(Deviation.class);

    private final Instance<Writer> writer;
    private final Jdbi jdbi;
    private final StudyCatalog catalog;
    private final StudyStore studies;

    public Preregistrations(Instance<Writer> writer, Jdbi jdbi, StudyCatalog catalog, StudyStore studies) {
        this.writer = writer;
        this.studies = studies;
        this.jdbi = jdbi;
        this.catalog = catalog;
    }

    /** Writes and hashes the document of a study that is opening, in the transaction that opens it. */
    void register(long studyId, String name, StudyDesign design) {
        String markdown = writer.get().markdown(studyId, name, design);
        studies.register(studyId, markdown, sha256(markdown));
    }

    /** The stored registration of an open or closed study, or a preview for a draft. */
    public Registration of(long studyId) {
        StudyRow study = studies.existing(studyId);
        if (study.preregistration() == null && !study.isDraft()) {
            return new Registration(studyId, false, null, null, "# No pre-registration: " + study.name() + "\n\nStudy "
                    + studyId + " opened before this server wrote pre-registrations: nothing was registered.\n",
                    deviations(studyId));
        }
        if (study.preregistration() == null) {
            String preview = writer.get().markdown(studyId, study.name(), catalog.existing(studyId).design());
            return new Registration(studyId, false, null, sha256(preview), preview, List.of());
        }
        return new Registration(studyId, true, study.preregisteredAt(), study.preregistrationSha256(),
                study.preregistration(), deviations(studyId));
    }

    void recordDeviation(long studyId, String description) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                INSERT INTO study_deviation (study_id, description) VALUES (:studyId, :description)""")
                .bind("studyId", studyId).bind("description", description).execute());
    }

    public List<Deviation> deviations(long studyId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT recorded_at, description FROM study_deviation WHERE study_id = :studyId ORDER BY id""")
                .bind("studyId", studyId).map(DEVIATION_ROW).list());
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
