package org.sagstudy.results;

import java.util.Locale;
import org.sagstudy.study.SessionKind;

/** Whose sessions a result covers. Previews are never results. */
public enum Population {
    REAL, SIMULATED, ALL;

    public boolean includes(SessionKind kind) {
        return switch (this) {
            case REAL -> kind == SessionKind.PARTICIPANT;
            case SIMULATED -> kind == SessionKind.SIMULATED;
            case ALL -> kind == SessionKind.PARTICIPANT || kind == SessionKind.SIMULATED;
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
