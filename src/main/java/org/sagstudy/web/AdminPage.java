package org.sagstudy.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * What every admin page's layout shows: who is signed in and the session's CSRF token, which the page's scripts
 * send back. Templates read it as {@code inject:adminPage}, so page resources pass only their own data.
 */
@Named("adminPage")
@RequestScoped
public class AdminPage {

    private final SecurityIdentity identity;

    public AdminPage(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String user() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public String csrf() {
        return Csrf.tokenOf(identity);
    }
}
