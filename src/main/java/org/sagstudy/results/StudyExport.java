package org.sagstudy.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.http.ServerSecret;
import org.sagstudy.results.Csv.Column;
import org.sagstudy.study.CompletionCodes;
import org.sagstudy.study.ItemAudit;
import org.sagstudy.study.ItemAudits;
import org.sagstudy.study.ParticipantSummary;
import org.sagstudy.study.QuestionKind;
import org.sagstudy.study.SessionKind;
import org.sagstudy.study.StudyCatalog;
import org.sagstudy.study.StudyDesign;
import org.sagstudy.study.StudyRecords;

/**
 * A study's export: answers, participants and items as CSV, everything as JSON, and the codebook. Answers stream from
 * the database; participants are read first because the exclusion rules look at whole sessions. Rows outside the
 * rules' population are left out; excluded participants are kept and marked.
 */
@ApplicationScoped
public class StudyExport {

    private final StudyRecords repository;
    private final ServerSecret secret;
    private final ObjectMapper json;
    private final StudyCatalog catalog;
    private final ItemAudits audits;
    private final CompletionCodes completionCodes;

    public StudyExport(StudyRecords repository, ServerSecret secret, ObjectMapper json, StudyCatalog catalog,
            ItemAudits audits, CompletionCodes completionCodes) {
        this.completionCodes = completionCodes;
        this.repository = repository;
        this.secret = secret;
        this.catalog = catalog;
        this.audits = audits;
        // one flush at the end of the stream, not one per value
        this.json = json.copy().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    /** The participants in the population with their id as exported and their exclusion (null when they count). */
    public List<ExportColumns.Participant> participants(long studyId, ExclusionRules rules, boolean rawIds) {
        StudyDesign design = catalog.existing(studyId).design();
        ExclusionRules registered = ExclusionRules.registered(design.exclusions());
        return repository.participants(studyId).stream().filter(p -> rules.population().includes(p.kind()))
                .map(p -> new ExportColumns.Participant(p, rawIds ? p.externalId()
                        : pseudonym(studyId, p.platform(), p.externalId()),
                        rawIds ? p.externalStudy() : pseudonym(studyId, p.platform() + ":study", p.externalStudy()),
                        rawIds ? p.externalSession()
                                : pseudonym(studyId, p.platform() + ":session", p.externalSession()),
                        rawIds ? p.userAgent() : null, shownCode(design, registered, p),
                        rules.exclusion(p).orElse(null), rulesCell(rules)))
                .toList();
    }

    /** The completion code the session was shown (see {@link CompletionCodes}); null when it was shown none. */
    private String shownCode(StudyDesign design, ExclusionRules registered, ParticipantSummary p) {
        return p.completed() && p.kind() == SessionKind.PARTICIPANT && registered.exclusion(p).isEmpty()
                ? completionCodes.code(design, p.id()) : null;
    }

    private static String rulesCell(ExclusionRules rules) {
        return rules.registered() ? "registered" : rules.label() + " (" + rules.query() + ")";
    }

    /**
     * A stable pseudonym of a platform id within one study: the first 16 hex digits of an HMAC under the server's
     * secret, so that nobody without the secret can test whether a known id took part.
     */
    String pseudonym(long studyId, String platform, String externalId) {
        return externalId == null ? null
                : secret.hmac("export-pseudonym", studyId + ":" + platform + ":" + externalId).substring(0, 16);
    }

    public void answersCsv(long studyId, ExclusionRules rules, boolean rawIds, OutputStream stream) {
        write(stream, out -> {
            Csv.header(out, ExportColumns.ANSWERS);
            forEachAnswer(studyId, rules, rawIds, answer -> row(out, ExportColumns.ANSWERS, answer));
        });
    }

    public void participantsCsv(long studyId, ExclusionRules rules, boolean rawIds, OutputStream stream) {
        write(stream, out -> {
            Csv.header(out, ExportColumns.PARTICIPANTS);
            for (ExportColumns.Participant p : participants(studyId, rules, rawIds)) {
                Csv.row(out, ExportColumns.PARTICIPANTS, p);
            }
        });
    }

    public void itemsCsv(long studyId, OutputStream stream) {
        write(stream, out -> {
            Csv.header(out, ExportColumns.ITEMS);
            for (ExportColumns.Item item : items(studyId)) {
                Csv.row(out, ExportColumns.ITEMS, item);
            }
        });
    }

    /** Everything in one JSON document: the study (with its design), the rules, items, participants, answers. */
    public void json(StudyCatalog.StudyInfo study, ExclusionRules rules, boolean rawIds, OutputStream stream) {
        long studyId = study.id();
        try (JsonGenerator json = this.json.getFactory().createGenerator(stream)) {
            json.writeStartObject();
            json.writeFieldName("study");
            this.json.writeValue(json, study);
            json.writeStringField("rules", rules.query());
            json.writeStringField("exclusionRules", rulesCell(rules));
            json.writeBooleanField("rawIds", rawIds);
            json.writeArrayFieldStart("items");
            for (ExportColumns.Item item : items(studyId)) {
                object(json, ExportColumns.ITEMS, item);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("participants");
            for (ExportColumns.Participant p : participants(studyId, rules, rawIds)) {
                object(json, ExportColumns.PARTICIPANTS, p);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("answers");
            forEachAnswer(studyId, rules, rawIds, answer -> object(json, ExportColumns.ANSWERS, answer));
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ExportColumns.Item> items(long studyId) {
        StudyDesign design = catalog.existing(studyId).design();
        Map<Long, ItemAudit.AuditedItem> audited = audits.audited(studyId);
        return repository.items(studyId).stream().map(item -> new ExportColumns.Item(item,
                audited.get(item.item().id()), design.isPrimary(item.item().questionKind()))).toList();
    }

    private void forEachAnswer(long studyId, ExclusionRules rules, boolean rawIds,
            java.util.function.Consumer<ExportColumns.Answer> consumer) {
        StudyDesign design = catalog.existing(studyId).design();
        Map<Long, ExportColumns.Participant> participants = new HashMap<>();
        participants(studyId, rules, rawIds).forEach(p -> participants.put(p.summary().id(), p));
        repository.forEachAnswer(studyId, row -> {
            ExportColumns.Participant p = participants.get(row.participant());
            if (p != null) {
                consumer.accept(new ExportColumns.Answer(row, p.externalId(), p.exclusion(), QuestionKind
                        .byKey(row.questionKind()).filter(design::isPrimary).isPresent(), p.rules()));
            }
        });
    }

    private <R> void object(JsonGenerator generator, List<Column<R>> columns, R row) {
        try {
            generator.writeStartObject();
            for (Column<R> column : columns) {
                Object value = column.value().apply(row);
                generator.writeFieldName(column.name());
                if (value instanceof OffsetDateTime time) {
                    generator.writeString(time.toInstant().toString());
                } else {
                    json.writeValue(generator, value);
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <R> void row(Writer out, List<Column<R>> columns, R row) {
        try {
            Csv.row(out, columns, row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface CsvBody {
        void write(Writer out) throws IOException;
    }

    private static void write(OutputStream stream, CsvBody body) {
        try {
            Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            body.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
