package org.sagstudy.web;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/** Creates the configured first admin once. */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final AdminConfig config;

    public AdminBootstrap(AdminConfig config) {
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
        if (AdminUser.count("username", config.username()) > 0) {
            return;
        }
        if (config.password().isEmpty() || config.password().get().isBlank()) {
            LOG.warnf("no admin account: set SAG_ADMIN_PASSWORD (and SAG_ADMIN_USERNAME) to create '%s'",
                    config.username());
            return;
        }
        AdminUser.create(config.username(), config.password().get());
        LOG.infof("created admin account '%s'", config.username());
    }
}
