package org.sagstudy.problem;

/** What the request names existed but takes no more requests (a closed study). */
public final class Gone extends DomainException {

    public Gone(String message) {
        super(Kind.GONE, message);
    }
}
