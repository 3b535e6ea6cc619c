package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A study is edited as a draft, takes participants while open, and keeps its data once closed. */
public enum StudyState {
    DRAFT, OPEN, CLOSED;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StudyState byKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return key();
    }
}
