package org.sagstudy.web;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The store of the {@code admin_user} table (accounts that may sign in). */
@ApplicationScoped
class AdminUsers {

    private static final String COLUMNS = "id, username, password_hash, roles, created_at";
    private static final RowMapper<AdminUser> USER_ROW = ConstructorMapper.of(AdminUser.class);

    private final Jdbi jdbi;

    AdminUsers(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    List<AdminUser> all() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM admin_user ORDER BY username")
                .map(USER_ROW).list());
    }

    Optional<AdminUser> byUsername(String username) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM admin_user "
                + "WHERE username = :username").bind("username", username).map(USER_ROW).findOne());
    }

    /** A new account with this password (hashed here) and roles. */
    AdminUser create(String username, String password, String roles) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                INSERT INTO admin_user (username, password_hash, roles, created_at)
                VALUES (:username, :passwordHash, :roles, now())
                RETURNING""" + " " + COLUMNS).bind("username", username)
                .bind("passwordHash", BcryptUtil.bcryptHash(password)).bind("roles", roles).map(USER_ROW).one());
    }

    void setPassword(String username, String password) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                UPDATE admin_user SET password_hash = :passwordHash WHERE username = :username""")
                .bind("username", username).bind("passwordHash", BcryptUtil.bcryptHash(password)).execute());
    }

    boolean delete(String username) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM admin_user WHERE username = :username")
                .bind("username", username).execute()) == 1;
    }
}
