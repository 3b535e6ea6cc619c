package org.sagstudy.web;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Someone who may upload images and manage jobs; passwords are stored as bcrypt hashes. */
@Entity
@Table(name = "admin_user")
class AdminUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(nullable = false)
    public String roles = "admin";

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    public static java.util.Optional<AdminUser> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public static AdminUser create(String username, String password) {
        AdminUser user = new AdminUser();
        user.username = username;
        user.passwordHash = BcryptUtil.bcryptHash(password);
        user.persist();
        return user;
    }
}
