package org.sagstudy.study;

/**
 * Addresses of a session's pictures. They name the session and a position only, never the patch sets or which
 * option is right, so a page's source gives nothing away.
 */
public final class TrialLinks {

    private TrialLinks() {
    }

    public static String session(String token) {
        return "/p/" + token;
    }

    public static String option(String token, int position, Side side) {
        return session(token) + "/trials/" + position + "/" + side.key() + ".jpg";
    }

    public static String photo(String token, int position) {
        return session(token) + "/trials/" + position + "/photo.jpg";
    }

    /** Null in the control condition. */
    public static String explanation(String token, int position, Condition condition) {
        return condition == Condition.NONE ? null
                : session(token) + "/trials/" + position + "/explanation." + extension(condition);
    }

    public static String exampleOption(String token, Side side) {
        return session(token) + "/example/" + side.key() + ".jpg";
    }

    public static String exampleExplanation(String token, Condition condition) {
        return condition == Condition.NONE ? session(token) + "/example/photo.jpg"
                : session(token) + "/example/explanation." + extension(condition);
    }

    private static String extension(Condition condition) {
        return condition == Condition.SAG ? "svg" : "png";
    }

    public static String question(String label) {
        return "On which version will the program be more confident that it shows a " + label + "?";
    }
}
