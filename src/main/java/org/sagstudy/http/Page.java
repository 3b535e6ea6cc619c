package org.sagstudy.http;

import org.sagstudy.problem.Invalid;

/** A window on a long list: {@code limit} entries from {@code offset}, oldest or newest first. */
public record Page(int offset, int limit, boolean newestFirst) {

    public static final int MAX_LIMIT = 500;

    /** From query parameters; absent ones take defaults (the first 100), bad ones are a 400. */
    public static Page of(Integer offset, Integer limit, boolean newestFirst) {
        int from = offset == null ? 0 : offset;
        int size = limit == null ? 100 : limit;
        if (from < 0 || size < 1 || size > MAX_LIMIT) {
            throw new Invalid("offset must be at least 0 and limit 1 to " + MAX_LIMIT);
        }
        return new Page(from, size, newestFirst);
    }
}
