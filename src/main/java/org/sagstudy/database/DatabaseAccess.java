package org.sagstudy.database;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The one way to the database: JDBI on the pooled data source. SQL stays SQL, with named parameters, and rows are
 * read by column name. A handle opened inside a {@code @Transactional} method gets the connection enlisted in that
 * transaction, which the transaction manager (not the handle) ends.
 */
@ApplicationScoped
public class DatabaseAccess {

    @Produces
    @ApplicationScoped
    Jdbi jdbi(DataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new PostgresPlugin());
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        jdbi.registerArgument(EnumKeys.ARGUMENTS);
        jdbi.registerColumnMapper(EnumKeys::columnMapper);
        return jdbi;
    }
}
