package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who runs a session: a participant, the experimenter's preview (never a result), or a simulated reader. */
public enum SessionKind {
    PARTICIPANT, PREVIEW, SIMULATED;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionKind byKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
