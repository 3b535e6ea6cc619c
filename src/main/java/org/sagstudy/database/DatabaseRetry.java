package org.sagstudy.database;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Work that is safe to repeat (a read, or a write made idempotent by a key) gets a second chance on a fresh
 * connection when the first failed for want of the database (a restart drops every pooled connection: the next
 * borrow validates and replaces them). A second failure is reported as before (503 with Retry-After).
 */
public final class DatabaseRetry {

    /** One unit of work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final long PAUSE_MS = 250;

    private DatabaseRetry() {
    }

    /** As {@link #once}, the work in one transaction of its own (committed, or rolled back when it throws). */
    public static <T> T onceInTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        return once(dataSource, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException lost) {
            // the connection is gone: nothing was committed
        }
    }

    public static <T> T once(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            if (DatabaseFailures.classify(e).orElse(null) != DatabaseFailures.Kind.AWAY) {
                throw e;
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e;
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        }
    }
}
