package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.sagstudy.problem.Invalid;
import org.sagstudy.problem.NotFound;
import org.sagstudy.study.AnswerRow;
import org.sagstudy.study.Preregistrations;
import org.sagstudy.study.QuestionKind;
import org.sagstudy.study.StudyCatalog;
import org.sagstudy.study.StudyRecords;

/** What the analysis page and the export links serve, for the results pages and the results API alike. */
@ApplicationScoped
public class StudyResults {

    public static final List<String> FILES = List.of("answers.csv", "participants.csv", "items.csv", "study.json",
            "codebook.md", "analysis.R", "preregistration.md");

    /** The files whose rows the exclusion rules mark. */
    private static final List<String> RULE_DEPENDENT = List.of("answers.csv", "participants.csv", "study.json");

    /** A file of the export, streamed. */
    public record ExportFile(String fileName, String mediaType, Body body) {
    }

    /** Writes a file of the export as it is read. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The analysis as JSON: what the page's charts draw and what scripts read. */
    public record AnalysisReport(String rules, String exploratory, List<String> primaryKinds,
            List<Analysis.ConditionResult> conditions,
            List<Analysis.Comparison> comparisons, List<Analysis.KindResult> byKind, Analysis.Table byGap,
            Analysis.Table byImage, Map<String, double[]> responseTimes, List<Analysis.FlowRow> flow,
            Analysis.DropOut dropOut, Analysis.Table sideAndPosition) {

        static AnalysisReport of(Analysis analysis) {
            return new AnalysisReport(analysis.rules().query(), analysis.rules().label(), analysis.primaryKinds(),
                    analysis.conditions(), analysis.comparisons(),
                    analysis.byKind(), analysis.byGap(), analysis.byImage(), analysis.responseTimes(),
                    analysis.flow(), analysis.dropOut(), analysis.sideAndPosition());
        }
    }

    private final StudyRecords repository;
    private final StudyExport export;
    private final StudyCatalog catalog;
    private final Preregistrations preregistrations;

    public StudyResults(StudyRecords repository, StudyExport export, StudyCatalog catalog,
            Preregistrations preregistrations) {
        this.preregistrations = preregistrations;
        this.repository = repository;
        this.export = export;
        this.catalog = catalog;
    }

    /** The rules the query asks for; what it leaves out is the study's registered rule. */
    public ExclusionRules rules(long studyId, Map<String, List<String>> query) {
        try {
            return ExclusionRules.from(query, catalog.existing(studyId).design().exclusions());
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    public Analysis analyze(long studyId, ExclusionRules rules) {
        StudyCatalog.StudyInfo study = catalog.existing(studyId);
        List<AnswerRow> answers = new ArrayList<>();
        repository.forEachAnswer(studyId, answers::add);
        return Analysis.of(study.design().conditions(), study.design().primaryKindList().stream()
                .map(QuestionKind::key).toList(), repository.participants(studyId), answers, rules,
                study.design().seed(), study.design().equivalenceMargin());
    }

    /** The mixed-model script that reads answers.csv (src/main/resources/results/analysis.R). */
    private static byte[] rScript() throws IOException {
        try (InputStream in = StudyResults.class.getResourceAsStream("/results/analysis.R")) {
            return in.readAllBytes();
        }
    }

    static String analysisScriptSha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rScript()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the packaged analysis.R", e);
        }
    }

    /** Every stored answer of the study as [session token, item id]. */
    public List<String[]> answerKeys(long studyId) {
        catalog.existing(studyId);
        return repository.answerKeys(studyId);
    }

    public AnalysisReport report(long studyId, Map<String, List<String>> query) {
        return AnalysisReport.of(analyze(studyId, rules(studyId, query)));
    }

    /** {@code file} is one of {@link #FILES}; {@code raw=true} exports platform ids as they are. */
    public ExportFile export(long studyId, String file, Map<String, List<String>> query) {
        StudyCatalog.StudyInfo study = catalog.existing(studyId);
        ExclusionRules rules = rules(studyId, query);
        boolean raw = "true".equals(ExclusionRules.first(query, "raw"));
        Body body = switch (file) {
            case "answers.csv" -> out -> export.answersCsv(studyId, rules, raw, out);
            case "participants.csv" -> out -> export.participantsCsv(studyId, rules, raw, out);
            case "items.csv" -> out -> export.itemsCsv(studyId, out);
            case "study.json" -> out -> export.json(study, rules, raw, out);
            case "codebook.md" -> out -> out.write(ExportColumns.codebook().getBytes(StandardCharsets.UTF_8));
            case "analysis.R" -> out -> out.write(rScript());
            case "preregistration.md" -> out -> out.write(preregistrations.of(studyId).withDeviations()
                    .getBytes(StandardCharsets.UTF_8));
            default -> throw new NotFound("no export " + file + " (one of " + FILES + ")");
        };
        String type = file.endsWith(".csv") ? "text/csv; charset=utf-8" : file.endsWith(".json") ? "application/json"
                : file.endsWith(".R") ? "text/plain; charset=utf-8" : "text/markdown; charset=utf-8";
        String name = rules.registered() || !RULE_DEPENDENT.contains(file) ? file : "exploratory-" + file;
        return new ExportFile("study-" + studyId + "-" + name, type, body);
    }
}
