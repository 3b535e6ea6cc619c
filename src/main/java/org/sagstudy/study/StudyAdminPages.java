package org.sagstudy.study;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jakarta.ws.rs.core.UriInfo;
import org.sagstudy.admin.Csrf;
import org.sagstudy.results.Analysis;
import org.sagstudy.results.ExclusionRules;
import org.sagstudy.results.StudyResults;

/** The experimenter's study pages: list, create, edit a draft, open and close, preview each condition. */
@Path("/admin/studies")
@RolesAllowed("admin")
public class StudyAdminPages {

    public record StudyRow(long id, String name, String state, String participants) {
    }

    public record ConditionOption(String key, String title, boolean checked) {
    }

    public record PhotoOption(long id, String fileName, String label, String pFull, String role) {
    }

    public record ItemRow(long id, String kind, String source, long imageId, String left, String right,
            String leftConfidence, String rightConfidence, String correctSide, String inSag) {
    }

    public record StudyView(long id, String name, String state, boolean draft, StudyDesign design,
            List<ConditionOption> conditions, List<PhotoOption> photos, List<String> problems,
            List<Studies.ConditionCount> counts, List<ItemRow> items, String link, String prolificLink) {
    }

    public record ConditionRow(String condition, int started, int completed, int included, int excluded,
            String reasons, String accuracy, String againstChance, String attention, String medianResponse) {
    }

    public record ComparisonRow(String label, String difference, String counts, String p, String pHolm,
            boolean significant) {
    }

    public record AnalysisView(long id, String name, ExclusionRules rules, String query, List<ConditionRow> conditions,
            List<ComparisonRow> comparisons, Analysis.Table byGap, Analysis.Table byImage, List<String> files) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance studies(String user, String csrf, List<StudyRow> studies);

        static native TemplateInstance study(String user, String csrf, StudyView view);

        static native TemplateInstance analysis(String user, String csrf, AnalysisView view);
    }

    private final SecurityIdentity identity;
    private final Csrf csrf;
    private final Studies studies;
    private final StudyCatalog catalog;
    private final StudySessions sessions;
    private final StudyAdminApi api;
    private final StudyResults results;

    public StudyAdminPages(SecurityIdentity identity, Csrf csrf, Studies studies, StudyCatalog catalog,
            StudySessions sessions, StudyAdminApi api, StudyResults results) {
        this.identity = identity;
        this.csrf = csrf;
        this.studies = studies;
        this.catalog = catalog;
        this.sessions = sessions;
        this.api = api;
        this.results = results;
    }

    private String user() {
        return identity.getPrincipal().getName();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance list() {
        List<StudyRow> rows = StudyEntity.<StudyEntity>listAll(io.quarkus.panache.common.Sort.by("id")).stream()
                .map(s -> new StudyRow(s.id, s.name, s.state, studies.counts(s.id, s.design()).stream()
                        .map(c -> c.condition() + " " + c.completed() + "/" + c.started())
                        .collect(Collectors.joining(", "))))
                .toList();
        return Templates.studies(user(), csrf.tokenFor(user()), rows);
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body) {
        return api.create(body);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance page(@PathParam("id") long id, @Context HttpServerRequest request) {
        StudyEntity study = studies.refreshed(id);
        StudyDesign design = study.design();
        List<ConditionOption> conditions = Arrays.stream(Condition.values())
                .map(c -> new ConditionOption(c.key(), c.title(), design.conditions().contains(c.key()))).toList();
        List<PhotoOption> photos = studies.explainedPhotos().stream().map(p -> new PhotoOption(p.imageId(),
                p.fileName(), p.label(), String.format(Locale.ROOT, "%.2f", p.pFull()),
                design.imageIds().contains(p.imageId()) ? "trial"
                        : design.practiceImageIds().contains(p.imageId()) ? "practice" : "")).toList();
        List<ItemRow> items = catalog.items(id).values().stream().map(i -> new ItemRow(i.id(), i.kind().key(),
                i.source(), i.imageId(), i.left().toString(), i.right().toString(), percent(i.leftConfidence()),
                percent(i.rightConfidence()), i.correctSide().key(),
                (i.leftInSag() ? "L" : "") + (i.rightInSag() ? "R" : ""))).toList();
        String link = request.scheme() + "://" + request.authority() + "/studies/" + id;
        StudyView view = new StudyView(id, study.name, study.state, study.isDraft(), design, conditions, photos,
                study.problems.isEmpty() ? List.of() : List.of(study.problems.split("\n")),
                studies.counts(id, design), items, link,
                link + "?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}");
        return Templates.study(user(), csrf.tokenFor(user()), view);
    }

    @POST
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> save(@PathParam("id") long id, JsonNode body) {
        return api.update(id, body);
    }

    @POST
    @Path("/{id}/{action:open|close}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> change(@PathParam("id") long id, @PathParam("action") String action) {
        return api.change(id, action);
    }

    @POST
    @Path("/{id}/simulate")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> simulate(@PathParam("id") long id, JsonNode body) {
        return api.simulate(id, body);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        return api.delete(id);
    }

    /** Starts a preview session in a condition (kept out of results and assignment) and opens it. */
    @GET
    @Path("/{id}/preview/{condition}")
    public Response preview(@PathParam("id") long id, @PathParam("condition") String conditionKey,
            @Context HttpServerRequest request) {
        Condition condition = Condition.byKey(conditionKey)
                .filter(c -> catalog.study(id).map(st -> st.design().conditionList().contains(c)).orElse(false))
                .orElseThrow(() -> StudyException.badRequest("the study has no condition " + conditionKey));
        StudySessions.Started started = sessions.start(id, ExternalIds.anonymous(), StudySessions.Kind.PREVIEW,
                condition, request.getHeader("User-Agent"));
        return Response.seeOther(URI.create(TrialLinks.session(started.token()))).build();
    }

    @GET
    @Path("/{id}/analysis")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance analysis(@PathParam("id") long id, @Context UriInfo uri) {
        ExclusionRules rules = StudyResults.rules(uri.getQueryParameters());
        Analysis analysis = results.analyze(id, rules);
        StudyCatalog.StudyInfo study = catalog.study(id).orElseThrow();
        List<ConditionRow> conditions = analysis.conditions().stream().map(c -> new ConditionRow(c.condition(),
                c.started(), c.completed(), c.included(), c.excluded(), c.reasons(),
                c.answers() == 0 ? "no answers" : String.format(Locale.ROOT, "%.2f [%.2f, %.2f] (%d/%d)",
                        c.accuracy().estimate(), c.accuracy().low(), c.accuracy().high(), c.correct(), c.answers()),
                c.answers() == 0 ? "" : "p = " + pValue(c.pAgainstChance()),
                c.attentionChecks() == 0 ? "" : String.format(Locale.ROOT, "%.0f%% (%d/%d)",
                        100 * c.attentionPassRate(), c.attentionPassed(), c.attentionChecks()),
                Double.isNaN(c.medianResponseMs()) ? "" : String.format(Locale.ROOT, "%.1f s",
                        c.medianResponseMs() / 1000))).toList();
        List<ComparisonRow> comparisons = analysis.comparisons().stream().map(c -> new ComparisonRow(
                "SAG vs " + c.against(), String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", c.difference().estimate(),
                        c.difference().low(), c.difference().high()),
                String.format(Locale.ROOT, "%d/%d vs %d/%d", c.sagCorrect(), c.sagCorrect() + c.sagWrong(),
                        c.otherCorrect(), c.otherCorrect() + c.otherWrong()),
                pValue(c.p()), pValue(c.pHolm()), c.pHolm() < 0.05)).toList();
        return Templates.analysis(user(), csrf.tokenFor(user()), new AnalysisView(id, study.name(), rules,
                rules.query(), conditions, comparisons, analysis.byGap(), analysis.byImage(), StudyResults.FILES));
    }

    @GET
    @Path("/{id}/analysis.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> analysisJson(@PathParam("id") long id, @Context UriInfo uri) {
        return StudyResults.json(results.analyze(id, StudyResults.rules(uri.getQueryParameters())));
    }

    @GET
    @Path("/{id}/export/{file}")
    public Response export(@PathParam("id") long id, @PathParam("file") String file, @Context UriInfo uri) {
        return results.export(id, file, uri.getQueryParameters());
    }

    private static String pValue(double p) {
        return Double.isNaN(p) ? "" : p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String percent(double confidence) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * confidence);
    }
}
