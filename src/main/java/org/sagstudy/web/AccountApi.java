package org.sagstudy.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.Roles;
import org.sagstudy.problem.Forbidden;
import org.sagstudy.problem.Invalid;

/** The signed-in admin's own account: a new password ends every session of the account. */
@Path("/api/account")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
@Produces(MediaType.APPLICATION_JSON)
public class AccountApi {

    /** The current password and the new one (at least 12 characters). */
    public record PasswordChange(String current, String password) {
    }

    private final SecurityIdentity identity;
    private final AdminIdentities.Passwords passwords;
    private final AdminSessions sessions;
    private final AdminUsers users;

    public AccountApi(SecurityIdentity identity, AdminIdentities.Passwords passwords, AdminSessions sessions,
            AdminUsers users) {
        this.users = users;
        this.identity = identity;
        this.passwords = passwords;
        this.sessions = sessions;
    }

    @POST
    @Path("/password")
    @Blocking
    public Response changePassword(PasswordChange change, @Context HttpServerRequest request) {
        if (change == null || change.password() == null || change.password().length() < 12
                || change.password().length() > 200) {
            throw new Invalid("the new password needs 12 to 200 characters");
        }
        String username = identity.getPrincipal().getName();
        String address = ClientAddress.of(request);
        if (passwords.check(username, (change.current() == null ? "" : change.current()).toCharArray(), address)
                .isEmpty()) {
            throw new Forbidden("the current password is wrong");
        }
        users.setPassword(username, change.password());
        sessions.revokeAll(username);
        return Response.noContent().build();
    }
}
