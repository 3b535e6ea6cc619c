package org.sagstudy.study;

import java.util.Locale;
import java.util.Optional;

/** Where an option stands: in an item's canonical placement, or on a participant's screen. */
public enum Side {
    LEFT, RIGHT;

    public Side other() {
        return this == LEFT ? RIGHT : LEFT;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Side> byKey(String key) {
        if ("left".equalsIgnoreCase(key)) {
            return Optional.of(LEFT);
        }
        return "right".equalsIgnoreCase(key) ? Optional.of(RIGHT) : Optional.empty();
    }
}
