package org.sagstudy.study;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.sagstudy.problem.Invalid;

/**
 * An answer as a participant sends it, from the page's form or the JSON API, checked the same way for both.
 *
 * @param side the option chosen, left or right as shown on the participant's screen
 * @param rating 1 (guessing) to 5 (certain), when the study asks
 * @param clientTime the participant's clock when answering
 * @param clientResponseMs the browser's measure from display to answer
 */
public record AnswerInput(long itemId, Side side, Integer rating, OffsetDateTime clientTime,
        Integer clientResponseMs) {

    /** The JSON body of {@code POST /api/sessions/{token}/answers}. */
    public record Body(String itemId, String side, String rating, String clientTime, String responseMs) {
    }

    public static AnswerInput of(Body body) {
        if (body == null) {
            throw new Invalid("send a JSON object with itemId and side");
        }
        return parse(body.itemId(), "itemId", body.side(), "side must be left or right", body.rating(),
                body.clientTime(), body.responseMs());
    }

    /** The page's form fields: {@code item}, {@code side}, {@code rating}, {@code clientTime}, {@code responseMs}. */
    public static AnswerInput ofForm(String item, String side, String rating, String clientTime, String responseMs) {
        return parse(item, "item", side, "choose the left or the right version", rating, clientTime, responseMs);
    }

    private static AnswerInput parse(String item, String itemName, String side, String sideProblem, String rating,
            String clientTime, String responseMs) {
        return new AnswerInput(requiredLong(item, itemName),
                Side.byKey(side).orElseThrow(() -> new Invalid(sideProblem)),
                optionalInt(rating, "rating", 1, 5), clientTime(clientTime),
                optionalInt(responseMs, "responseMs", 0, 86_400_000));
    }

    private static long requiredLong(String value, String name) {
        if (value == null) {
            throw new Invalid(name + " is missing");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Invalid(name + " must be a whole number");
        }
    }

    /** A whole number from {@code min} to {@code max}, or null when absent. */
    private static Integer optionalInt(String value, String name, int min, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number < min || number > max) {
                throw new Invalid(name + " must be " + min + " to " + max);
            }
            return (int) number;
        } catch (NumberFormatException e) {
            throw new Invalid(name + " must be a whole number");
        }
    }

    /** ISO-8601 with an offset, or milliseconds since 1970. */
    private static OffsetDateTime clientTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        OffsetDateTime time;
        try {
            time = text.trim().matches("\\d{1,15}")
                    ? Instant.ofEpochMilli(Long.parseLong(text.trim())).atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new Invalid("clientTime must be ISO-8601 (2026-11-26T14:00:00Z) or epoch milliseconds");
        }
        if (time.getYear() < 2000 || time.getYear() > 9999) {
            throw new Invalid("clientTime must fall in the years 2000 to 9999");
        }
        return time;
    }
}
