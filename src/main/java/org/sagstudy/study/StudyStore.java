package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.database.NamedParameters;
import org.sagstudy.problem.NotFound;

/** The store of the {@code study} table. */
@ApplicationScoped
class StudyStore {

    private static final String COLUMNS = "id, name, state, design::text AS design, problems, created_at, imported, "
            + "opened_at, closed_at, preregistration, preregistration_sha256, preregistered_at";
    private static final RowMapper<StudyRow> STUDY_ROW = ConstructorMapper.of(StudyRow.class);

    private final Jdbi jdbi;

    StudyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Optional<StudyRow> find(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM study WHERE id = :id")
                .bind("id", id).map(STUDY_ROW).findOne());
    }

    StudyRow existing(long id) {
        return find(id).orElseThrow(() -> new NotFound("no study " + id));
    }

    /** The study, locked until the transaction ends: a save and an open of the same study take turns. */
    StudyRow locked(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM study WHERE id = :id "
                + "FOR UPDATE").bind("id", id).map(STUDY_ROW).findOne())
                .orElseThrow(() -> new NotFound("no study " + id));
    }

    List<StudyRow> all() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM study ORDER BY id")
                .map(STUDY_ROW).list());
    }

    long count() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM study").mapTo(Long.class).one());
    }

    /** A new draft. */
    long insert(String name, String design, boolean imported) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                INSERT INTO study (name, state, design, problems, imported, created_at)
                VALUES (:name, :draft, CAST(:design AS jsonb), '', :imported, now()) RETURNING id""")
                .bind("name", name).bind("draft", StudyState.DRAFT).bind("design", design)
                .bind("imported", imported).mapTo(Long.class).one());
    }

    void setNameAndDesign(long id, String name, String design) {
        update("UPDATE study SET name = :name, design = CAST(:design AS jsonb) WHERE id = :id", "id", id, "name",
                name, "design", design);
    }

    void setDesign(long id, String design) {
        update("UPDATE study SET design = CAST(:design AS jsonb) WHERE id = :id", "id", id, "design", design);
    }

    void setProblems(long id, String problems) {
        update("UPDATE study SET problems = :problems WHERE id = :id", "id", id, "problems", problems);
    }

    void open(long id) {
        update("UPDATE study SET state = :state, opened_at = now() WHERE id = :id", "id", id, "state",
                StudyState.OPEN);
    }

    void close(long id) {
        update("UPDATE study SET state = :state, closed_at = now() WHERE id = :id", "id", id, "state",
                StudyState.CLOSED);
    }

    /** Stores the document written when the study opened, registered at the opening's time. */
    void register(long id, String markdown, String sha256) {
        update("""
                UPDATE study SET preregistration = :markdown, preregistration_sha256 = :sha256,
                                 preregistered_at = opened_at
                WHERE id = :id""", "id", id, "markdown", markdown, "sha256", sha256);
    }

    void delete(long id) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM study WHERE id = :id").bind("id", id).execute());
    }

    /** The name of a study whose items show this photo, if any. */
    Optional<String> usingImage(long imageId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT s.name FROM study_item i JOIN study s ON s.id = i.study_id WHERE i.image_id = :imageId
                ORDER BY s.id LIMIT 1""").bind("imageId", imageId).mapTo(String.class).findOne());
    }

    private void update(String sql, Object... namesAndValues) {
        jdbi.useHandle(handle -> handle.createUpdate(sql).bindMap(NamedParameters.of(namesAndValues)).execute());
    }
}
