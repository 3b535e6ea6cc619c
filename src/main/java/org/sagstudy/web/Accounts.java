package org.sagstudy.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;
import org.sagstudy.http.Roles;
import org.sagstudy.problem.Conflict;
import org.sagstudy.problem.Invalid;
import org.sagstudy.problem.NotFound;

/**
 * The accounts of this instance, managed by its admins: instance admins ({@link Roles#ADMIN}) and researchers
 * ({@link Roles#RESEARCHER}, who see only the studies they own or collaborate on). Deleting an account ends its
 * sessions and its study memberships (the database cascades).
 */
@ApplicationScoped
public class Accounts {

    /** An account as the admin page lists it (never its password hash). */
    public record Account(String username, String role, OffsetDateTime createdAt) {
    }

    /** A new account: a name, a password of 12 to 200 characters, and admin or researcher. */
    public record NewAccount(String username, String password, String role) {
    }

    private final AdminConfig adminConfig;
    private final AdminUsers users;

    public Accounts(AdminConfig adminConfig, AdminUsers users) {
        this.adminConfig = adminConfig;
        this.users = users;
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{1,63}");

    @Transactional
    public List<Account> list() {
        return users.all().stream().map(user -> new Account(user.username(), user.roles(), user.createdAt()))
                .toList();
    }

    @Transactional
    public Account create(NewAccount request) {
        if (request == null || request.username() == null || !NAME.matcher(request.username()).matches()) {
            throw new Invalid("the user name needs 2 to 64 letters, digits or . _ @ -, starting with a "
                    + "letter or digit");
        }
        if (request.password() == null || request.password().length() < 12 || request.password().length() > 200) {
            throw new Invalid("the password needs 12 to 200 characters");
        }
        String role = request.role() == null ? Roles.RESEARCHER : request.role();
        if (!role.equals(Roles.ADMIN) && !role.equals(Roles.RESEARCHER)) {
            throw new Invalid("the role must be admin or researcher");
        }
        if (users.byUsername(request.username()).isPresent()) {
            throw new Conflict("there is already an account '" + request.username() + "'");
        }
        AdminUser user = users.create(request.username(), request.password(), role);
        return new Account(user.username(), user.roles(), user.createdAt());
    }

    /**
     * Deletes another account; nobody deletes their own (an instance would lose its last admin that way), and the
     * first admin's account (SAG_ADMIN_USERNAME) stays: every start would create it again with the configured password.
     */
    @Transactional
    public void delete(String username, String signedIn) {
        if (username.equals(signedIn)) {
            throw new Invalid("you cannot delete your own account");
        }
        if (username.equals(adminConfig.username())) {
            throw new Invalid("the first admin's account (SAG_ADMIN_USERNAME) cannot be deleted: every "
                    + "start creates it again; change its password instead");
        }
        if (!users.delete(username)) {
            throw new NotFound("there is no account '" + username + "'");
        }
    }
}
