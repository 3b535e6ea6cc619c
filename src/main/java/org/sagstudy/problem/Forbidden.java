package org.sagstudy.problem;

/** The person is known but may not do this (not the owner, a form from another site). */
public final class Forbidden extends DomainException {

    public Forbidden(String message) {
        super(Kind.FORBIDDEN, message);
    }
}
