package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a study item is for: a trial (counted), practice (with feedback), an attention check (obvious answer) or the
 * instructions' worked example (shown with its answer, never asked).
 */
public enum ItemKind {
    TRIAL, PRACTICE, ATTENTION, EXAMPLE;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ItemKind byKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
