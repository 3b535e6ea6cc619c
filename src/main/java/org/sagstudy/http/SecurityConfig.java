package org.sagstudy.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Limits that keep the server usable when strangers send it what they like. */
@ConfigMapping(prefix = "sag.security")
public interface SecurityConfig {

    /**
     * The server's secret (env SAG_SESSION_KEY): keys the export pseudonyms and anything else that must not be
     * guessable. Required in production; dev and test use a fixed one.
     */
    Optional<String> secret();

    /** Largest request body outside photo uploads (JSON and forms). */
    @WithDefault("65536")
    int maxBodyBytes();

    /** Failed sign-ins allowed for one account from one address (an IPv6 /64) before that pair must wait. */
    @WithDefault("5")
    int accountAttempts();

    /** Failed sign-ins allowed from one address (an IPv6 /64), whatever the account, before it must wait. */
    @WithDefault("20")
    int addressAttempts();

    /** The first wait; each further failure after a wait doubles it. */
    @WithDefault("30s")
    Duration firstBackoff();

    @WithDefault("1h")
    Duration maxBackoff();

    /**
     * Requests one address (an IPv6 /64) may make per minute to participant pages, pictures and the participant API;
     * a participant needs a few per question, a lab sharing one address some hundreds.
     */
    @WithDefault("1200")
    int participantRequestsPerMinute();

    /** A signed-in session ends after this long without a request. */
    @WithDefault("8h")
    Duration sessionIdle();

    /** ... and this long after sign-in in any case. */
    @WithDefault("24h")
    Duration sessionLifetime();
}
