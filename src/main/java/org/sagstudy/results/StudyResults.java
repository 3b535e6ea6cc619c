package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.study.StudyCatalog;
import org.sagstudy.study.StudyException;

/** What the analysis page and the export links serve, for the admin pages and the admin API alike. */
@ApplicationScoped
public class StudyResults {

    public static final List<String> FILES = List.of("answers.csv", "participants.csv", "items.csv", "study.json",
            "codebook.md");

    private final ResultsRepository repository;
    private final StudyExport export;
    private final StudyCatalog catalog;

    public StudyResults(ResultsRepository repository, StudyExport export, StudyCatalog catalog) {
        this.repository = repository;
        this.export = export;
        this.catalog = catalog;
    }

    public static ExclusionRules rules(MultivaluedMap<String, String> query) {
        try {
            return ExclusionRules.from(query);
        } catch (IllegalArgumentException e) {
            throw StudyException.badRequest(e.getMessage());
        }
    }

    private StudyCatalog.StudyInfo study(long id) {
        return catalog.study(id).orElseThrow(() -> StudyException.notFound("no study " + id));
    }

    public Analysis analyze(long studyId, ExclusionRules rules) {
        StudyCatalog.StudyInfo study = study(studyId);
        List<AnswerRow> answers = new ArrayList<>();
        repository.forEachAnswer(studyId, answers::add);
        return Analysis.of(study.design().conditions(), repository.participants(studyId), answers, rules,
                study.design().seed());
    }

    /** {@code file} is one of {@link #FILES}; {@code raw=true} exports platform ids as they are. */
    public Response export(long studyId, String file, MultivaluedMap<String, String> query) {
        StudyCatalog.StudyInfo study = study(studyId);
        ExclusionRules rules = rules(query);
        boolean raw = "true".equals(query.getFirst("raw"));
        StreamingOutput body = switch (file) {
            case "answers.csv" -> out -> export.answersCsv(studyId, rules, raw, out);
            case "participants.csv" -> out -> export.participantsCsv(studyId, rules, raw, out);
            case "items.csv" -> out -> export.itemsCsv(studyId, out);
            case "study.json" -> out -> export.json(studyId, describe(study), rules, raw, out);
            case "codebook.md" -> out -> out.write(ExportColumns.codebook().getBytes(StandardCharsets.UTF_8));
            default -> throw StudyException.notFound("no export " + file + " (one of " + FILES + ")");
        };
        String type = file.endsWith(".csv") ? "text/csv; charset=utf-8"
                : file.endsWith(".json") ? "application/json" : "text/markdown; charset=utf-8";
        return Response.ok(body, type).header("Content-Disposition",
                "attachment; filename=\"study-" + studyId + "-" + file + "\"").build();
    }

    private static Map<String, Object> describe(StudyCatalog.StudyInfo study) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", study.id());
        json.put("name", study.name());
        json.put("state", study.state());
        json.put("design", study.design());
        return json;
    }

    /** The analysis as JSON: what the page's charts draw and what scripts read. */
    public static Map<String, Object> json(Analysis analysis) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rules", analysis.rules().query());
        json.put("conditions", analysis.conditions());
        json.put("comparisons", analysis.comparisons());
        json.put("byGap", analysis.byGap());
        json.put("byImage", analysis.byImage());
        json.put("responseTimes", analysis.responseTimes());
        return json;
    }
}
