package org.sagstudy.web;

import java.util.concurrent.TimeUnit;

/** Refused for now: the client has to wait, and is told how long (429 with Retry-After). */
public class TooManyAttempts extends HttpProblem {

    private final long secondsToWait;

    public TooManyAttempts(long secondsToWait) {
        super(429, "too many attempts: try again in " + secondsToWait + " s");
        this.secondsToWait = secondsToWait;
    }

    public long secondsToWait() {
        return secondsToWait;
    }

    /** A rate limiter's wait in whole seconds for Retry-After: rounded up, at least 1. */
    public static long seconds(long nanosToWait) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
    }
}
