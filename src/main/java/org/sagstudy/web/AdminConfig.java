package org.sagstudy.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The first admin, created at start-up when no user of that name exists. */
@ConfigMapping(prefix = "sag.admin")
public interface AdminConfig {

    @WithDefault("admin")
    String username();

    /** No default outside dev and test: without it no admin is created (set SAG_ADMIN_PASSWORD). */
    Optional<String> password();
}
