package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a question asks, which decides what the SAG group can read off its explanation: both options are nodes of
 * the SAG shown (both confidences are printed in the graph: a look-up), exactly one is, or neither is (options the
 * search evaluated, or random ones drawn uniformly: the other conditions and the SAG group alike must infer the
 * answer); a parent against its child is a separate, optional kind ("the version showing more wins" answers it in
 * any condition). Attention checks and the worked example have kinds of their own.
 */
public enum QuestionKind {
    BOTH_IN_SAG, ONE_IN_SAG, NEITHER_SEARCHED, NEITHER_RANDOM, PARENT_CHILD, ATTENTION, EXAMPLE;

    /** The kinds a design mixes (attention checks and the example are not asked about in proportions). */
    public static final List<QuestionKind> MIXABLE = List.of(BOTH_IN_SAG, ONE_IN_SAG, NEITHER_SEARCHED,
            NEITHER_RANDOM, PARENT_CHILD);

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<QuestionKind> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
    }

    /** What the SAG group can do with it: read both answers, read one, or infer. */
    public String forSagReaders() {
        return switch (this) {
            case BOTH_IN_SAG -> "look-up (both confidences are printed in the SAG)";
            case ONE_IN_SAG -> "half look-up (one confidence is printed)";
            case NEITHER_SEARCHED, NEITHER_RANDOM -> "inference (neither option is in the SAG)";
            case PARENT_CHILD -> "look-up, and answerable without any explanation (the larger set usually wins)";
            case ATTENTION, EXAMPLE -> "obvious";
        };
    }
}
