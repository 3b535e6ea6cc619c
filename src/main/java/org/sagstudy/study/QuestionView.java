package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The next question of a session as the JSON API gives it: no answer key and no confidence, only what the pages show
 * (the options' patch sets are what their photos show). When every question is answered, {@code done} with the
 * session's completion code and redirect, or {@code screenedOut} (with the design's screen-out code, if any) when the
 * session breaks the registered exclusion rules (see {@link CompletionCodes}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuestionView(String condition, int answered, int total, boolean done, String completionCode,
        String redirectUrl, Boolean screenedOut, String screenOutCode, Integer position, Long itemId, Boolean practice, String label, String question,
        String photo, String explanation, String explanationData, Options options) {

    public record Options(Option left, Option right) {
    }

    /** An option's picture and the patches it shows. */
    public record Option(String image, List<Integer> patches) {
    }
}
