package org.sagstudy.problem;

import java.util.concurrent.TimeUnit;

/** Refused for now: the client has to wait, and is told how long. */
public final class TooMany extends DomainException {

    private final long secondsToWait;

    public TooMany(long secondsToWait) {
        super(Kind.TOO_MANY, "too many attempts: try again in " + secondsToWait + " s");
        this.secondsToWait = secondsToWait;
    }

    public long secondsToWait() {
        return secondsToWait;
    }

    /** A rate limiter's wait in whole seconds: rounded up, at least 1. */
    public static long seconds(long nanosToWait) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
    }
}
