package org.sagstudy.database;

import java.sql.SQLException;
import java.util.Optional;

/**
 * What a database failure means for the request that met it: a race with another request (try again: 409), a busy
 * database (a lock or statement timed out: 503), or a database that is away (a lost connection or an exhausted pool:
 * 503). Anything else is a bug.
 */
public final class DatabaseFailures {

    public enum Kind {
        /** Another request changed the same rows first (a unique or foreign key, a serialization failure). */
        RACE,
        /** A lock or a statement took too long. */
        BUSY,
        /** No connection: PostgreSQL restarts, or every pooled connection is taken. */
        AWAY
    }

    private DatabaseFailures() {
    }

    public static Optional<Kind> classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.startsWith("23") || state.equals("40001") || state.equals("40P01")) {
                    return Optional.of(Kind.RACE);
                }
                if (state.equals("55P03") || state.equals("57014")) {
                    return Optional.of(Kind.BUSY);
                }
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || isPoolTimeout(sql)) {
                    return Optional.of(Kind.AWAY);
                }
            }
        }
        return Optional.empty();
    }

    /** Agroal's "acquisition timeout" carries no SQL state. */
    private static boolean isPoolTimeout(SQLException e) {
        return e.getSQLState() == null && e.getMessage() != null && e.getMessage().contains("cquisition timeout");
    }
}
