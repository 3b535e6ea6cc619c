package org.sagstudy.problem;

/** The request itself is wrong (a missing or malformed value, a design that breaks a rule). */
public final class Invalid extends DomainException {

    public Invalid(String message) {
        super(Kind.INVALID, message);
    }
}
