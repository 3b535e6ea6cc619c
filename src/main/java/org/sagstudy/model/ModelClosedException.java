package org.sagstudy.model;

/** A pass asked of a classifier that is closed, which happens when the process is stopping. */
public final class ModelClosedException extends IllegalStateException {

    ModelClosedException(String model) {
        super("model " + model + " is closed (the process is stopping)");
    }

    /** Whether {@code failure} or one of its causes is this (passes may run on another thread). */
    public static boolean among(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ModelClosedException) {
                return true;
            }
        }
        return false;
    }
}
