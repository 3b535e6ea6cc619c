package org.sagstudy.results;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.sagstudy.http.Download;
import org.sagstudy.http.Roles;

/** A study's results for scripts (HTTP basic, admin): analysis, export, simulated participants, answer keys. */
@Path("/api/studies/{id}/results")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
@Produces(MediaType.APPLICATION_JSON)
public class ResultsApi {

    private final StudyResults results;
    private final Simulations simulations;
    private final PowerPlanner planner;

    public ResultsApi(StudyResults results, Simulations simulations, PowerPlanner planner) {
        this.results = results;
        this.simulations = simulations;
        this.planner = planner;
    }

    /** The analysis (exclusion rules as query parameters, as on the analysis page). */
    @GET
    @Path("/analysis")
    public StudyResults.AnalysisReport analysis(@PathParam("id") long id, @Context UriInfo uri) {
        return results.report(id, uri.getQueryParameters());
    }

    /** answers.csv, participants.csv, items.csv, study.json or codebook.md; rules and raw=true as query parameters. */
    @GET
    @Path("/export/{file}")
    @Produces(MediaType.WILDCARD)
    public Response export(@PathParam("id") long id, @PathParam("file") String file, @Context UriInfo uri) {
        StudyResults.ExportFile export = results.export(id, file, uri.getQueryParameters());
        return Download.attachment(export.fileName(), export.mediaType(), export.body()::writeTo);
    }

    /** Runs simulated participants through the study; body {@code {"participants": 30, "strategy": "auto"}}. */
    @POST
    @Path("/simulate")
    public Simulations.Result simulate(@PathParam("id") long id, Simulations.Request body) {
        return simulations.run(id, body);
    }

    /** Participants needed for a power and what they cost: body {@link PowerPlanner.Request}. */
    @POST
    @Path("/power")
    public PowerPlanner.Plan power(@PathParam("id") long id, PowerPlanner.Request body) {
        return planner.plan(id, body);
    }

    /** Every stored answer as [session token, item id]: lets a load test check that none is lost or doubled. */
    @GET
    @Path("/answer-keys")
    public List<String[]> answerKeys(@PathParam("id") long id) {
        return results.answerKeys(id);
    }
}
