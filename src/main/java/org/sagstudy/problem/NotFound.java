package org.sagstudy.problem;

/** What the request names does not exist, or the person may not know that it does. */
public final class NotFound extends DomainException {

    public NotFound(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
