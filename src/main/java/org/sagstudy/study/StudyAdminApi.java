package org.sagstudy.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.sagstudy.results.InProcessStudyClient;
import org.sagstudy.results.Simulation;
import org.sagstudy.results.StudyResults;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Studies for scripts (HTTP basic, admin): {@code {"name": ..., "design": {...}}} where the design lists only what
 * differs from the defaults (or, for PUT, from the current design).
 */
@Path("/api/studies")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class StudyAdminApi {

    private final Studies studies;
    private final StudyCatalog catalog;
    private final StudySessions sessions;
    private final StudyResults results;
    private final InProcessStudyClient simulator;

    public StudyAdminApi(Studies studies, StudyCatalog catalog, StudySessions sessions, StudyResults results,
            InProcessStudyClient simulator) {
        this.simulator = simulator;
        this.studies = studies;
        this.catalog = catalog;
        this.sessions = sessions;
        this.results = results;
    }

    @GET
    @Transactional
    public List<Map<String, Object>> list() {
        return StudyEntity.<StudyEntity>listAll(io.quarkus.panache.common.Sort.by("id")).stream()
                .map(this::summary).toList();
    }

    @POST
    public Response create(JsonNode body) {
        StudyEntity study = studies.create(name(body), design(StudyDesign.defaults(), body));
        return Response.status(201).entity(describe(study.id)).build();
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") long id) {
        return describe(id);
    }

    @PUT
    @Path("/{id}")
    public Map<String, Object> update(@PathParam("id") long id, JsonNode body) {
        StudyDesign current = studies.find(id).design();
        studies.update(id, name(body), design(current, body));
        return describe(id);
    }

    @POST
    @Path("/{id}/{action:open|close}")
    public Map<String, Object> change(@PathParam("id") long id, @PathParam("action") String action) {
        if (action.equals("open")) {
            studies.open(id);
        } else {
            studies.close(id);
        }
        return describe(id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        studies.delete(id);
        return Response.noContent().build();
    }

    /**
     * Runs simulated participants through the study (in this process, through the same services as the API); body
     * {@code {"participants": 30, "strategy": "auto"}} ({@code auto}: the reader that suits each condition;
     * {@code random}: coin flips).
     */
    @POST
    @Path("/{id}/simulate")
    public Map<String, Object> simulate(@PathParam("id") long id, JsonNode body) {
        int participants = body == null ? 30 : body.path("participants").asInt(30);
        String strategy = body == null ? "auto" : body.path("strategy").asText("auto");
        if (participants < 1 || participants > 1000) {
            throw StudyException.badRequest("participants must be 1 to 1000");
        }
        if (!strategy.equals("auto") && !strategy.equals("random")) {
            throw StudyException.badRequest("strategy must be auto or random");
        }
        Simulation.Summary summary = Simulation.run(simulator, id, participants, strategy.equals("random"),
                System.nanoTime());
        return Map.of("participants", summary.participants(), "answers", summary.answers(), "byCondition",
                summary.participantsByCondition());
    }

    /** The analysis (exclusion rules as query parameters, as on the analysis page). */
    @GET
    @Path("/{id}/analysis")
    public Map<String, Object> analysis(@PathParam("id") long id, @Context UriInfo uri) {
        return StudyResults.json(results.analyze(id, StudyResults.rules(uri.getQueryParameters())));
    }

    /** answers.csv, participants.csv, items.csv, study.json or codebook.md; rules and raw=true as query parameters. */
    @GET
    @Path("/{id}/export/{file}")
    @Produces(MediaType.WILDCARD)
    public Response export(@PathParam("id") long id, @PathParam("file") String file, @Context UriInfo uri) {
        return results.export(id, file, uri.getQueryParameters());
    }

    /** Every stored answer as [session token, item id]: lets a load test check that none is lost or doubled. */
    @GET
    @Path("/{id}/answer-keys")
    public List<String[]> answerKeys(@PathParam("id") long id) {
        studies.find(id);
        return sessions.answerKeys(id);
    }

    private static String name(JsonNode body) {
        if (body == null || !body.hasNonNull("name")) {
            throw StudyException.badRequest("send a JSON object with a name (and optionally a design)");
        }
        return body.get("name").asText();
    }

    /** {@code base} with the fields of {@code body.design} replaced. */
    static StudyDesign design(StudyDesign base, JsonNode body) {
        JsonNode changes = body.get("design");
        if (changes != null && !changes.isNull() && !changes.isObject()) {
            throw StudyException.badRequest("design must be a JSON object");
        }
        ObjectNode merged = StudyEntity.JSON.valueToTree(base);
        if (changes != null && changes.isObject()) {
            merged.setAll((ObjectNode) changes);
        }
        StudyDesign design;
        try {
            design = StudyEntity.JSON.treeToValue(merged, StudyDesign.class);
        } catch (JsonProcessingException e) {
            throw StudyException.badRequest("the design does not read: " + e.getOriginalMessage());
        }
        for (List<?> list : java.util.Arrays.asList(design.conditions(), design.imageIds(), design.practiceImageIds())) {
            if (list == null || list.contains(null)) {
                throw StudyException.badRequest("conditions, imageIds and practiceImageIds must be lists without nulls");
            }
        }
        List<String> conditions = design.conditions().stream()
                .map(key -> Condition.byKey(key).map(Condition::key).orElse(key)).toList();
        return new StudyDesign(conditions, design.imageIds(), design.practiceImageIds(), design.questionsPerImage(),
                design.minGap(), design.minPFull(), design.practiceItems(), design.attentionChecks(),
                design.sagRoots(), design.sagDepth(), design.sagChildren(), design.askConfidence(),
                design.activeMinutes(), text(design.consent()), text(design.instructions()),
                text(design.completionCode()), text(design.redirectUrl()), design.seed());
    }

    /** Texts may hold line breaks and tabs, not other control characters (PostgreSQL refuses NUL). */
    private static String text(String value) {
        if (value == null) {
            return "";
        }
        if (value.chars().anyMatch(c -> c == 0)) {
            throw StudyException.badRequest("a text of the design contains a NUL character");
        }
        return value;
    }

    private Map<String, Object> summary(StudyEntity study) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", study.id);
        json.put("name", study.name);
        json.put("state", study.state);
        json.put("problems", study.problems.isEmpty() ? List.of() : List.of(study.problems.split("\n")));
        json.put("participants", studies.counts(study.id, study.design()));
        json.put("link", "/studies/" + study.id);
        return json;
    }

    Map<String, Object> describe(long id) {
        StudyEntity study = studies.refreshed(id);
        Map<String, Object> json = summary(study);
        json.put("design", study.design());
        json.put("createdAt", study.createdAt);
        json.put("openedAt", study.openedAt);
        json.put("closedAt", study.closedAt);
        json.put("items", catalog.items(id).values().stream().map(StudyAdminApi::item).toList());
        return json;
    }

    static Map<String, Object> item(StudyCatalog.Item item) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", item.id());
        json.put("kind", item.kind().key());
        json.put("source", item.source());
        json.put("imageId", item.imageId());
        json.put("explanationId", item.explanationId());
        json.put("leftPatches", item.left().toList());
        json.put("rightPatches", item.right().toList());
        json.put("leftConfidence", item.leftConfidence());
        json.put("rightConfidence", item.rightConfidence());
        json.put("correctSide", item.correctSide().key());
        json.put("leftInSag", item.leftInSag());
        json.put("rightInSag", item.rightInSag());
        return json;
    }
}
