package org.sagstudy.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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

/** The accounts page (form login, instance admins only): who may sign in, as admin or researcher. */
@Path("/admin/accounts")
@RolesAllowed(Roles.ADMIN)
public class AccountsPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accounts(List<Accounts.Account> accounts, String signedIn);
    }

    private final Accounts accounts;
    private final SecurityIdentity identity;

    public AccountsPages(Accounts accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.accounts(accounts.list(), identity.getPrincipal().getName());
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
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
