package org.sagstudy.database;

import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Work that is safe to repeat (a read, or a write made idempotent by a key) gets a second chance on a fresh
 * connection when the first failed for want of the database (a restart drops every pooled connection: the next
 * borrow validates and replaces them). A second failure is reported as before (503 with Retry-After).
 */
public final class DatabaseRetry {

    private static final long PAUSE_MS = 250;

    private DatabaseRetry() {
    }

    /** As {@link #once}, the work in one transaction of its own (committed, or rolled back when it throws). */
    public static <T> T onceInTransaction(Jdbi jdbi, HandleCallback<T, RuntimeException> work) {
        return once(jdbi, handle -> handle.inTransaction(work));
    }

    public static <T> T once(Jdbi jdbi, HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (RuntimeException e) {
            if (DatabaseFailures.classify(e).orElse(null) != DatabaseFailures.Kind.AWAY) {
                throw e;
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e;
            }
            return jdbi.withHandle(work);
        }
    }
}
