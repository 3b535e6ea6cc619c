package org.sagstudy.results;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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
import java.util.Locale;
import org.sagstudy.http.Download;
import org.sagstudy.http.Roles;
import org.sagstudy.study.StudyCatalog;

/** A study's results for the experimenter (form login): the analysis page with its charts, exports, simulation. */
@Path("/admin/studies/{id}/results")
@RolesAllowed({Roles.ADMIN, Roles.RESEARCHER})
public class ResultsPages {

    public record ConditionRow(String condition, int started, int completed, int included, int excluded,
            String reasons, String participantAccuracy, String pooledAccuracy, String againstChance, String attention,
            String medianResponse) {
    }

    public record ComparisonRow(String label, String participantDifference, String minF, String welch,
            String mannWhitney,
            boolean significant, String bootstrap, String counts, String fisher, String equivalence) {
    }

    /** One question kind: what it is for SAG readers, each condition's mean accuracy, SAG against the others. */
    public record KindRow(String kind, String forSagReaders, boolean lookUp, List<String> conditions,
            List<String> comparisons) {
    }

    public record AnalysisView(long id, String name, ExclusionRules rules, String query, List<ConditionRow> conditions,
            List<ComparisonRow> comparisons, List<String> kindColumns, List<String> kindComparisons,
            List<KindRow> byKind, Analysis.Table byGap, Analysis.Table byImage, List<String> files,
            String primaryKinds, String exploratory, List<List<String>> flow, String dropOut,
            Analysis.Table sideAndPosition) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance analysis(AnalysisView view);
    }

    private final StudyResults results;
    private final Simulations simulations;
    private final PowerPlanner planner;
    private final StudyCatalog catalog;

    public ResultsPages(StudyResults results, Simulations simulations, PowerPlanner planner, StudyCatalog catalog) {
        this.results = results;
        this.simulations = simulations;
        this.planner = planner;
        this.catalog = catalog;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance analysis(@PathParam("id") long id, @Context UriInfo uri) {
        ExclusionRules rules = results.rules(id, uri.getQueryParameters());
        Analysis analysis = results.analyze(id, rules);
        List<ConditionRow> conditions = analysis.conditions().stream().map(c -> new ConditionRow(c.condition(),
                c.started(), c.completed(), c.included(), c.excluded(), c.reasons(),
                c.answers() == 0 ? "no answers" : interval(c.participantAccuracy()),
                c.answers() == 0 ? "" : String.format(Locale.ROOT, "%.2f [%.2f, %.2f] (%d/%d)",
                        c.accuracy().estimate(), c.accuracy().low(), c.accuracy().high(), c.correct(), c.answers()),
                c.answers() == 0 ? "" : "p = " + pValue(c.pAgainstChance()),
                c.attentionChecks() == 0 ? "" : String.format(Locale.ROOT, "%.0f%% (%d/%d)",
                        100 * c.attentionPassRate(), c.attentionPassed(), c.attentionChecks()),
                Double.isNaN(c.medianResponseMs()) ? "" : String.format(Locale.ROOT, "%.1f s",
                        c.medianResponseMs() / 1000))).toList();
        List<ComparisonRow> comparisons = analysis.comparisons().stream().map(c -> new ComparisonRow(
                "SAG vs " + c.against(), signed(c.participantDifference()),
                Double.isNaN(c.minFP()) ? "not testable (too few participants or questions)"
                        : pValue(c.minFP()) + " (Holm " + pValue(c.minFPHolm()) + ")",
                Double.isNaN(c.welchP()) ? "not testable (too few participants, or no spread)"
                        : pValue(c.welchP()) + " (Holm " + pValue(c.welchPHolm()) + ")",
                pValue(c.mannWhitneyP()) + " (Holm " + pValue(c.mannWhitneyPHolm()) + ")", c.minFPHolm() < 0.05,
                Double.isNaN(c.difference().low()) ? signed(c.difference().estimate())
                        : String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", c.difference().estimate(),
                                c.difference().low(), c.difference().high()),
                String.format(Locale.ROOT, "%d/%d vs %d/%d", c.sagCorrect(), c.sagCorrect() + c.sagWrong(),
                        c.otherCorrect(), c.otherCorrect() + c.otherWrong()),
                pValue(c.fisherP()) + " (Holm " + pValue(c.fisherPHolm()) + ")",
                Double.isNaN(c.equivalenceP()) ? "not testable" : String.format(Locale.ROOT, "±%.0f points: p %s "
                        + "(Holm %s)", 100 * c.equivalenceMargin(), pValue(c.equivalenceP()),
                        pValue(c.equivalencePHolm())))).toList();
        List<String> kindColumns = analysis.conditions().stream().map(Analysis.ConditionResult::condition).toList();
        List<String> kindComparisons = analysis.comparisons().stream().map(c -> "SAG vs " + c.against()).toList();
        List<KindRow> byKind = analysis.byKind().stream().map(k -> new KindRow(k.kind(), (k.primary()
                ? "primary outcome; " : k.forSagReaders().startsWith("look-up") ? "manipulation check; " : "exploratory; ")
                + k.forSagReaders(), k.forSagReaders().startsWith("look-up"),
                k.conditions().stream().map(c -> c.participants() == 0 ? "" : interval(c.participantAccuracy())
                        + " (" + c.participants() + ")").toList(),
                k.comparisons().stream().map(c -> Double.isNaN(c.participantDifference()) ? ""
                        : signed(c.participantDifference()) + ", p " + pValue(c.welchPHolm())).toList())).toList();
        return Templates.analysis(new AnalysisView(id, catalog.existing(id).name(), rules, rules.query(), conditions,
                comparisons, kindColumns, kindComparisons, byKind, analysis.byGap(), analysis.byImage(),
                StudyResults.FILES, String.join(", ", analysis.primaryKinds()), rules.label(), flow(analysis),
                analysis.dropOut().test() + (Double.isNaN(analysis.dropOut().p()) ? ""
                        : ": p = " + pValue(analysis.dropOut().p())), analysis.sideAndPosition()));
    }

    private static List<List<String>> flow(Analysis analysis) {
        return analysis.flow().stream().map(f -> List.of(f.condition(), Integer.toString(f.started()),
                Integer.toString(f.readInstructions()), Integer.toString(f.passedComprehension()),
                Integer.toString(f.finishedPractice()),
                Integer.toString(f.completed()), f.excluded() + (f.exclusionReasons().isEmpty() ? ""
                        : " (" + f.exclusionReasons().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                                .reduce((a, b) -> a + "; " + b).orElse("") + ")"),
                Integer.toString(f.included()), Double.isNaN(f.accuracyKeepingIncomplete().estimate())
                        ? "no answers" : interval(f.accuracyKeepingIncomplete()),
                f.medianInstructionSeconds() == null ? "" : String.format(Locale.ROOT, "%.0f s",
                        f.medianInstructionSeconds()))).toList();
    }

    @GET
    @Path("/analysis.json")
    @Produces(MediaType.APPLICATION_JSON)
    public StudyResults.AnalysisReport analysisJson(@PathParam("id") long id, @Context UriInfo uri) {
        return results.report(id, uri.getQueryParameters());
    }

    @GET
    @Path("/export/{file}")
    public Response export(@PathParam("id") long id, @PathParam("file") String file, @Context UriInfo uri) {
        StudyResults.ExportFile export = results.export(id, file, uri.getQueryParameters());
        return Download.attachment(export.fileName(), export.mediaType(), export.body()::writeTo);
    }

    @POST
    @Path("/simulate")
    @Produces(MediaType.APPLICATION_JSON)
    public Simulations.Result simulate(@PathParam("id") long id, Simulations.Request body) {
        return simulations.run(id, body);
    }

    @POST
    @Path("/power")
    @Produces(MediaType.APPLICATION_JSON)
    public PowerPlanner.Plan power(@PathParam("id") long id, PowerPlanner.Request body) {
        return planner.plan(id, body);
    }

    private static String interval(Statistics.Interval interval) {
        return Double.isNaN(interval.low()) ? String.format(Locale.ROOT, "%.2f", interval.estimate())
                : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", interval.estimate(), interval.low(), interval.high());
    }

    private static String signed(double difference) {
        return Double.isNaN(difference) ? "" : String.format(Locale.ROOT, "%+.2f", difference);
    }

    private static String pValue(double p) {
        return Double.isNaN(p) ? "" : p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
