package org.sagstudy.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.sagstudy.http.Roles;

/** The instance's accounts for scripts (HTTP basic, instance admins only). */
@Path("/api/accounts")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AccountsApi {

    private final Accounts accounts;
    private final SecurityIdentity identity;

    public AccountsApi(Accounts accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    @GET
    public List<Accounts.Account> list() {
        return accounts.list();
    }

    @POST
    public Response create(Accounts.NewAccount account) {
        return Response.status(201).entity(accounts.create(account)).build();
    }

    @DELETE
    @Path("/{username}")
    public Response delete(@PathParam("username") String username) {
        accounts.delete(username, identity.getPrincipal().getName());
        return Response.noContent().build();
    }
}
