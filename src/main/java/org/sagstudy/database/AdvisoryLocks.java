package org.sagstudy.database;

import org.jdbi.v3.core.Jdbi;

/** PostgreSQL advisory locks named by text, for work that must not run twice at once across processes. */
public final class AdvisoryLocks {

    private AdvisoryLocks() {
    }

    /** Waits for, then holds until the caller's transaction ends, the lock named {@code key}. */
    public static void holdUntilCommit(Jdbi jdbi, String key) {
        jdbi.useHandle(handle -> handle.createQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtext(:key))")
                .bind("key", key).mapTo(Integer.class).one());
    }
}
