package org.sagstudy.study;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;
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

    private final DataSource dataSource;

    public StudyAccess(DataSource dataSource) {
        this.dataSource = dataSource;
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
        Set<Long> ids = new HashSet<>();
        query("SELECT study_id FROM study_member WHERE username = ?", row -> ids.add(row.getLong("study_id")),
                name(identity));
        return ids::contains;
    }

    /** The account that made the study owns it. */
    public void makeOwner(long studyId, SecurityIdentity identity) {
        update("INSERT INTO study_member (study_id, username, member) VALUES (?, ?, 'owner')", studyId,
                name(identity));
    }

    public void addCollaborator(long studyId, String username) {
        if (username == null || username.isBlank()) {
            throw new Invalid("name the account to add");
        }
        try {
            update("""
                    INSERT INTO study_member (study_id, username, member) VALUES (?, ?, 'collaborator')
                    ON CONFLICT (study_id, username) DO NOTHING""", studyId, username.trim());
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                throw new Invalid("there is no account '" + username.trim() + "'");
            }
            throw e;
        }
    }

    public void removeCollaborator(long studyId, String username) {
        update("DELETE FROM study_member WHERE study_id = ? AND username = ? AND member = 'collaborator'", studyId,
                username);
    }

    public List<Member> members(long studyId) {
        List<Member> members = new ArrayList<>();
        query("SELECT username, member FROM study_member WHERE study_id = ? ORDER BY member DESC, username",
                row -> members.add(new Member(row.getString("username"), row.getString("member"))), studyId);
        return members;
    }

    private String owner(long studyId) {
        List<String> owner = new ArrayList<>();
        query("SELECT username FROM study_member WHERE study_id = ? AND member = 'owner'",
                row -> owner.add(row.getString("username")), studyId);
        return owner.isEmpty() ? null : owner.get(0);
    }

    private String member(long studyId, String username) {
        List<String> member = new ArrayList<>();
        query("SELECT member FROM study_member WHERE study_id = ? AND username = ?",
                row -> member.add(row.getString("member")),
                studyId, username);
        return member.isEmpty() ? null : member.get(0);
    }

    private static String name(SecurityIdentity identity) {
        return identity.getPrincipal().getName();
    }

    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private void query(String sql, RowReader reader, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    reader.read(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the study's members: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change the study's members: " + e.getMessage(), e);
        }
    }
}
