package org.sagstudy.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

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
}
