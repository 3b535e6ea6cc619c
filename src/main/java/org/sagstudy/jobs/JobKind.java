package org.sagstudy.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;
import java.util.Locale;
import org.sagstudy.database.LowerCaseEnumColumn;

/** What a job computes: a photo's explanation, or the confidences of more masked images of an explanation. */
public enum JobKind {
    EXPLAIN, CONFIDENCES;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobKind byKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    @Converter
    public static class Column extends LowerCaseEnumColumn<JobKind> {
        public Column() {
            super(JobKind.class);
        }
    }
}
