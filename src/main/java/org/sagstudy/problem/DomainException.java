package org.sagstudy.problem;

/**
 * A request the application refuses, with a message for the person who sent it. Services throw these and know nothing
 * of HTTP; the web layer's one mapper turns each kind into a status.
 */
public abstract sealed class DomainException extends RuntimeException
        permits Invalid, Forbidden, NotFound, Conflict, Gone, TooMany {

    /** What went wrong, as the web layer needs to know it. */
    public enum Kind {
        INVALID, FORBIDDEN, NOT_FOUND, CONFLICT, GONE, TOO_MANY
    }

    private final Kind kind;

    DomainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
