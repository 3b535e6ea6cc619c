package org.sagstudy.web;

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
}
