package org.sagstudy.study;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Predicate;
import org.sagstudy.http.Roles;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.problem.Forbidden;

/**
 * Studies for scripts (HTTP basic, admin): {@code {"name": ..., "design": {...}}} where the design lists only what
 * differs from the defaults (or, for PUT, from the current design).
 */
@Path("/api/studies")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
@Produces(MediaType.APPLICATION_JSON)
public class StudyAdminApi {

    private final StudyEditor editor;
    private final StudyProtocols protocols;
    private final StudyAccess access;
    private final SecurityIdentity identity;

    public StudyAdminApi(StudyEditor editor, StudyProtocols protocols, StudyAccess access, SecurityIdentity identity) {
        this.access = access;
        this.identity = identity;
        this.editor = editor;
        this.protocols = protocols;
    }

    /** The study as one protocol file (design, items, photos by hash, model by hash). */
    @GET
    @Path("/{id}/protocol")
    public Response protocol(@PathParam("id") long id) {
        return Response.ok(protocols.export(id))
                .header("Content-Disposition", "attachment; filename=\"study-" + id + "-protocol.json\"").build();
    }

    /** A draft from another installation's protocol; 409 when this installation's model or photos differ. */
    @POST
    @Path("/import")
    public Response importProtocol(StudyProtocols.Protocol protocol) throws ModelFolder.InvalidModelException {
        long id = protocols.importProtocol(protocol);
        access.makeOwner(id, identity);
        return Response.status(201).entity(editor.detail(id)).build();
    }

    @GET
    public List<StudyEditor.StudySummary> list() {
        Predicate<Long> visible = access.visibleTo(identity);
        return editor.list().stream().filter(s -> visible.test(s.id())).toList();
    }

    @POST
    public Response create(StudyEditor.StudyRequest body) {
        StudyEditor.StudyDetail created = editor.create(body);
        access.makeOwner(created.id(), identity);
        return Response.status(201).entity(created).build();
    }

    @GET
    @Path("/{id}")
    public StudyEditor.StudyDetail get(@PathParam("id") long id) {
        return editor.detail(id);
    }

    @PUT
    @Path("/{id}")
    public StudyEditor.StudyDetail update(@PathParam("id") long id, StudyEditor.StudyRequest body) {
        return editor.update(id, body);
    }

    @POST
    @Path("/{id}/{action:open|close}")
    public StudyEditor.StudyDetail change(@PathParam("id") long id, @PathParam("action") String action) {
        return editor.change(id, action);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        editor.delete(id);
        return Response.noContent().build();
    }

    /** Who works on the study: its owner and collaborators. */
    @GET
    @Path("/{id}/members")
    public List<StudyAccess.Member> members(@PathParam("id") long id) {
        return access.members(id);
    }

    /** Body {@code {"username": "..."}}: the owner (or an instance admin) names a collaborator. */
    @POST
    @Path("/{id}/members")
    public List<StudyAccess.Member> addCollaborator(@PathParam("id") long id, MemberRequest body) {
        requireManager(id);
        access.addCollaborator(id, body == null ? null : body.username());
        return access.members(id);
    }

    @DELETE
    @Path("/{id}/members/{username}")
    public List<StudyAccess.Member> removeCollaborator(@PathParam("id") long id,
            @PathParam("username") String username) {
        requireManager(id);
        access.removeCollaborator(id, username);
        return access.members(id);
    }

    /** An account to add to a study. */
    public record MemberRequest(String username) {
    }

    private void requireManager(long id) {
        if (!access.mayManage(identity, id)) {
            throw new Forbidden("only the study's owner or an instance admin may change who works on it");
        }
    }
}
