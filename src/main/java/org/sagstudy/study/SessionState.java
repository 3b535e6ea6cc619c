package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A participant's session is active until its last answer is stored. */
public enum SessionState {
    ACTIVE, COMPLETED;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionState byKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
