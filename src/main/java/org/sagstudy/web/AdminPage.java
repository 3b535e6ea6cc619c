package org.sagstudy.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * What every admin page's layout shows: who is signed in and the CSRF token the page's scripts send back. Templates
 * read it as {@code inject:adminPage}, so page resources pass only their own data.
 */
@Named("adminPage")
@RequestScoped
public class AdminPage {

    private final SecurityIdentity identity;
    private final Csrf csrf;

    public AdminPage(SecurityIdentity identity, Csrf csrf) {
        this.identity = identity;
        this.csrf = csrf;
    }

    public String user() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public String csrf() {
        return identity.isAnonymous() ? "" : csrf.tokenFor(user());
    }
}
