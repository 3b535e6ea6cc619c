package org.sagstudy.results;

import java.util.Locale;

/** Whose sessions a result covers. Previews are never results. */
public enum Population {
    REAL, SIMULATED, ALL;

    public boolean includes(String sessionKind) {
        return switch (this) {
            case REAL -> sessionKind.equals("participant");
            case SIMULATED -> sessionKind.equals("simulated");
            case ALL -> sessionKind.equals("participant") || sessionKind.equals("simulated");
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
