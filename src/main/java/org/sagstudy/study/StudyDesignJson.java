package org.sagstudy.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import org.sagstudy.problem.Invalid;

/**
 * A study's design as JSON: as stored with the study, and as experimenters send changes to it (only the fields that
 * differ). Unknown fields are refused, so a misspelt setting is an error rather than silently ignored.
 */
@ApplicationScoped
public class StudyDesignJson {

    private final ObjectMapper json;
    private final ObjectReader strict;

    public StudyDesignJson(ObjectMapper json) {
        this.json = json;
        this.strict = json.readerFor(StudyDesign.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    StudyDesign read(StudyRow study) {
        return read(study.id(), study.design());
    }

    public StudyDesign read(long studyId, String design) {
        try {
            return strict.readValue(design);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("study " + studyId + " has an unreadable design: " + e.getMessage(), e);
        }
    }

    public String write(StudyDesign design) {
        try {
            return json.writeValueAsString(design);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code base} with the fields of {@code changes} (a JSON object, or null for none) replaced. */
    public StudyDesign merge(StudyDesign base, JsonNode changes) {
        if (changes != null && !changes.isNull() && !changes.isObject()) {
            throw new Invalid("design must be a JSON object");
        }
        ObjectNode merged = json.valueToTree(base);
        if (changes != null && changes.isObject()) {
            merged.setAll((ObjectNode) changes);
        }
        StudyDesign design;
        try {
            design = strict.readValue(merged);
        } catch (java.io.IOException e) {
            String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new Invalid("the design does not read: " + message);
        }
        for (List<?> list : Arrays.asList(design.conditions(), design.imageIds(), design.practiceImageIds())) {
            if (list == null || list.contains(null)) {
                throw new Invalid("conditions, imageIds and practiceImageIds must be lists without nulls");
            }
        }
        return design.normalized();
    }
}
