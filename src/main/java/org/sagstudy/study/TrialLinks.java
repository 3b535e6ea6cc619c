package org.sagstudy.study;

/**
 * Addresses of a session's pages and pictures. They name the session and a position only, never the patch sets or
 * which option is right, so a page's source gives nothing away.
 */
public final class TrialLinks {

    private TrialLinks() {
    }

    public static String session(String token) {
        return "/p/" + token;
    }

    public static String option(String token, int position, Side side) {
        return trial(token, position) + "/" + side.key() + ".png";
    }

    public static String photo(String token, int position) {
        return trial(token, position) + "/photo.png";
    }

    /** Null in the control condition. */
    public static String explanation(String token, int position, Condition condition) {
        return condition == Condition.NONE ? null : trial(token, position) + "/explanation." + extension(condition);
    }

    public static String explanationData(String token, int position) {
        return trial(token, position) + "/explanation.json";
    }

    public static String exampleOption(String token, Side side) {
        return session(token) + "/example/" + side.key() + ".png";
    }

    public static String exampleExplanation(String token, Condition condition) {
        return condition == Condition.NONE ? session(token) + "/example/photo.png"
                : session(token) + "/example/explanation." + extension(condition);
    }

    public static String feedback(String token, int position) {
        return session(token) + "/feedback/" + position;
    }

    private static String trial(String token, int position) {
        return session(token) + "/trials/" + position;
    }

    private static String extension(Condition condition) {
        return condition == Condition.SAG ? "svg" : "png";
    }
}
