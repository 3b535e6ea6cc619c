package org.sagstudy.web;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.sagstudy.http.Roles;

/** Creates the configured first admin once. */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final AdminConfig config;
    private final AdminUsers users;

    public AdminBootstrap(AdminConfig config, AdminUsers users) {
        this.users = users;
        this.config = config;
    }

    void createFirstAdmin(@Observes StartupEvent event) {
        try {
            createIfMissing();
        } catch (RuntimeException e) {
            // another instance may have created it at the same moment
            LOG.warnf("first admin not created here: %s", e.getMessage());
        }
    }

    @Transactional
    void createIfMissing() {
        if (users.byUsername(config.username()).isPresent()) {
            return;
        }
        if (config.password().isEmpty() || config.password().get().isBlank()) {
            LOG.warnf("no admin account: set SAG_ADMIN_PASSWORD (and SAG_ADMIN_USERNAME) to create '%s'",
                    config.username());
            return;
        }
        users.create(config.username(), config.password().get(), Roles.ADMIN);
        LOG.infof("created admin account '%s'", config.username());
    }
}
