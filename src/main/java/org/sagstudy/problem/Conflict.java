package org.sagstudy.problem;

/** The request is well formed but the stored state refuses it now (a study already open, a later question). */
public final class Conflict extends DomainException {

    public Conflict(String message) {
        super(Kind.CONFLICT, message);
    }
}
