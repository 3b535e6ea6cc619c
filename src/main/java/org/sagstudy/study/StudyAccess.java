package org.sagstudy.study;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.http.Roles;
import org.sagstudy.problem.Invalid;

/**
 * Who may work on which study (table {@code study_member}): instance admins on all; a researcher on the studies they
 * own or collaborate on. Raw platform ids, which lead back to people, are for the owner alone (or an instance admin
 * when the study has no owner).
 */
@ApplicationScoped
public class StudyAccess {

    /** An account's place in a study. */
    public record Member(String username, String member) {
    }

    private static final RowMapper<Member> MEMBER_ROW = ConstructorMapper.of(Member.class);

    private final Jdbi jdbi;

    public StudyAccess(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public boolean canSee(SecurityIdentity identity, long studyId) {
        return identity.hasRole(Roles.ADMIN) || member(studyId, name(identity)) != null;
    }

    public boolean mayExportRawIds(SecurityIdentity identity, long studyId) {
        String owner = owner(studyId);
        return owner == null ? identity.hasRole(Roles.ADMIN) : owner.equals(name(identity));
    }

    /** The owner or an instance admin may name collaborators. */
    public boolean mayManage(SecurityIdentity identity, long studyId) {
        return identity.hasRole(Roles.ADMIN) || name(identity).equals(owner(studyId));
    }

    /** Which studies this identity may see. */
    public Predicate<Long> visibleTo(SecurityIdentity identity) {
        if (identity.hasRole(Roles.ADMIN)) {
            return id -> true;
        }
        Set<Long> ids = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT study_id FROM study_member WHERE username = :username").bind("username", name(identity))
                .mapTo(Long.class).collectIntoSet());
        return ids::contains;
    }

    /** The account that made the study owns it. */
    public void makeOwner(long studyId, SecurityIdentity identity) {
        update("INSERT INTO study_member (study_id, username, member) VALUES (:studyId, :username, 'owner')",
                studyId, name(identity));
    }

    public void addCollaborator(long studyId, String username) {
        if (username == null || username.isBlank()) {
            throw new Invalid("name the account to add");
        }
        try {
            update("""
                    INSERT INTO study_member (study_id, username, member) VALUES (:studyId, :username, 'collaborator')
                    ON CONFLICT (study_id, username) DO NOTHING""", studyId, username.trim());
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                throw new Invalid("there is no account '" + username.trim() + "'");
            }
            throw e;
        }
    }

    public void removeCollaborator(long studyId, String username) {
        update("""
                DELETE FROM study_member
                WHERE study_id = :studyId AND username = :username AND member = 'collaborator'""",
                studyId, username);
    }

    public List<Member> members(long studyId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT username, member FROM study_member WHERE study_id = :studyId ORDER BY member DESC, username""")
                .bind("studyId", studyId).map(MEMBER_ROW).list());
    }

    private String owner(long studyId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT username FROM study_member WHERE study_id = :studyId AND member = 'owner'""")
                .bind("studyId", studyId).mapTo(String.class).findFirst()).orElse(null);
    }

    private String member(long studyId, String username) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT member FROM study_member WHERE study_id = :studyId AND username = :username""")
                .bind("studyId", studyId).bind("username", username).mapTo(String.class).findFirst()).orElse(null);
    }

    private static String name(SecurityIdentity identity) {
        return identity.getPrincipal().getName();
    }

    private void update(String sql, long studyId, String username) {
        jdbi.useHandle(handle -> handle.createUpdate(sql).bind("studyId", studyId).bind("username", username)
                .execute());
    }
}
