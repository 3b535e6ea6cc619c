package org.sagstudy.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

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
}
