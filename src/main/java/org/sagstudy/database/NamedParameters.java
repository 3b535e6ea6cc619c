package org.sagstudy.database;

import java.util.HashMap;
import java.util.Map;

/** A statement's named values written inline ({@code "id", 7, "worker", name}), null values included. */
public final class NamedParameters {

    private NamedParameters() {
    }

    /** The pairs as a map for JDBI's {@code bindMap}; unlike {@link Map#of} it takes null values. */
    public static Map<String, Object> of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, Object> parameters = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }
}
