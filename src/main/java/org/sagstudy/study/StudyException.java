package org.sagstudy.study;

import jakarta.ws.rs.WebApplicationException;

/** A request the study cannot serve, with the HTTP status and a message for the person who sent it. */
public class StudyException extends WebApplicationException {

    public StudyException(int status, String message) {
        super(message, status);
    }

    public static StudyException notFound(String message) {
        return new StudyException(404, message);
    }

    public static StudyException conflict(String message) {
        return new StudyException(409, message);
    }

    public static StudyException badRequest(String message) {
        return new StudyException(400, message);
    }
}
