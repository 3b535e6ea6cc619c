package org.sagstudy.explain;

import java.util.Locale;

/**
 * {@code DEFAULT} is the method as the paper describes it; {@code REFERENCE} reproduces the authors' code: a beam of
 * {@code b+1} sets with duplicates evaluated and kept, and the SAG drawn as a forest expanding only the first three
 * patches of each node.
 */
public enum SearchMode {
    DEFAULT, REFERENCE;

    public static SearchMode parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + name + "' (default or reference)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
