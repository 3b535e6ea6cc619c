package org.sagstudy.web;

import jakarta.ws.rs.WebApplicationException;

/** A request the server cannot serve, with the HTTP status and a message for the person who sent it. */
public class HttpProblem extends WebApplicationException {

    public HttpProblem(int status, String message) {
        super(message, status);
    }

    public int status() {
        return getResponse().getStatus();
    }

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    public static HttpProblem forbidden(String message) {
        return new HttpProblem(403, message);
    }

    public static HttpProblem notFound(String message) {
        return new HttpProblem(404, message);
    }

    public static HttpProblem conflict(String message) {
        return new HttpProblem(409, message);
    }
}
