package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;
import java.util.Locale;
import org.sagstudy.database.LowerCaseEnumColumn;

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

    @Converter
    public static class Column extends LowerCaseEnumColumn<StudyState> {
        public Column() {
            super(StudyState.class);
        }
    }
}
