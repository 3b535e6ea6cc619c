package org.sagstudy.study;

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
import org.sagstudy.model.ModelFolder;

/**
 * Studies for scripts (HTTP basic, admin): {@code {"name": ..., "design": {...}}} where the design lists only what
 * differs from the defaults (or, for PUT, from the current design).
 */
@Path("/api/studies")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class StudyAdminApi {

    private final StudyEditor editor;
    private final StudyProtocols protocols;

    public StudyAdminApi(StudyEditor editor, StudyProtocols protocols) {
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
        return Response.status(201).entity(editor.detail(protocols.importProtocol(protocol).id)).build();
    }

    @GET
    public List<StudyEditor.StudySummary> list() {
        return editor.list();
    }

    @POST
    public Response create(StudyEditor.StudyRequest body) {
        return Response.status(201).entity(editor.create(body)).build();
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
}
