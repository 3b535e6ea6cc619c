package org.sagstudy.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;
import java.util.Locale;
import org.sagstudy.database.LowerCaseEnumColumn;

/** Where a job stands; stored and sent as JSON as the lower-case name. */
public enum JobState {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState byKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    @Converter
    public static class Column extends LowerCaseEnumColumn<JobState> {
        public Column() {
            super(JobState.class);
        }
    }
}
