package org.sagstudy.study;

import java.util.List;

/**
 * The question after the instructions about reading one's own explanation: one question of three options in every
 * condition, so that no condition gets more help than another. A wrong answer shows why and asks again; a second wrong
 * answer flags the session and lets it go on (the registered rules exclude flagged sessions).
 *
 * @param answer the key of the right option
 * @param why what the right answer says, shown after a wrong one
 */
public record ComprehensionCheck(String question, List<Option> options, String answer, String why) {

    public record Option(String key, String text) {
    }

    public static final String FLAG = "failed the comprehension check twice";

    public static ComprehensionCheck of(Condition condition, StudyMessages messages) {
        return switch (condition) {
            case GRADCAM, IGOS -> new ComprehensionCheck(messages.comprehension_heat_map(), List.of(
                    new Option("a", messages.comprehension_heat_map_a()),
                    new Option("b", messages.comprehension_heat_map_b()),
                    new Option("c", messages.comprehension_heat_map_c())), answer(condition),
                    messages.comprehension_heat_map_why());
            case SAG -> new ComprehensionCheck(messages.comprehension_sag(), List.of(
                    new Option("a", messages.comprehension_sag_a()), new Option("b", messages.comprehension_sag_b()),
                    new Option("c", messages.comprehension_sag_c())), answer(condition),
                    messages.comprehension_sag_why());
            case NONE -> new ComprehensionCheck(messages.comprehension_none(), List.of(
                    new Option("a", messages.comprehension_none_a()),
                    new Option("b", messages.comprehension_none_b()),
                    new Option("c", messages.comprehension_none_c())), answer(condition),
                    messages.comprehension_none_why());
        };
    }

    /** The right option's key: not the same position in every condition. */
    public static String answer(Condition condition) {
        return switch (condition) {
            case GRADCAM, IGOS -> "b";
            case SAG -> "a";
            case NONE -> "c";
        };
    }

    /** What a wrong answer leads to. */
    public enum Outcome {
        PASSED, TRY_AGAIN, FLAGGED
    }
}
