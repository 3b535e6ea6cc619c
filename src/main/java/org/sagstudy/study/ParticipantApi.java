package org.sagstudy.study;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The participant flow as JSON, for automation and load tests: the next question, and answers to it (a session
 * starts at {@link SessionStartApi}).
 * No answer key and no confidence is in a question; practice answers get their feedback after they are stored.
 */
@Path("/api/sessions/{token}")
@Produces(MediaType.APPLICATION_JSON)
public class ParticipantApi {

    private final StudySessions sessions;
    private final StudyCatalog catalog;


    public ParticipantApi(StudySessions sessions, StudyCatalog catalog) {
        this.sessions = sessions;
        this.catalog = catalog;
    }

    @GET
    @Path("/next")
    public Map<String, Object> next(@PathParam("token") String token) {
        StudySessions.State state = sessions.state(token, true);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("condition", state.condition().key());
        result.put("answered", state.answered());
        result.put("total", state.total());
        if (state.current().isEmpty()) {
            StudyDesign design = catalog.study(state.studyId()).orElseThrow().design();
            result.put("done", true);
            result.put("completionCode", design.completionCode());
            result.put("redirectUrl", design.redirectUrl());
            return result;
        }
        StudySessions.Trial trial = state.current().get();
        result.put("done", false);
        result.put("position", trial.position());
        result.put("itemId", trial.item().id());
        result.put("practice", trial.item().kind() == ItemBuilder.Kind.PRACTICE);
        result.put("label", trial.item().shortLabel());
        result.put("question", TrialLinks.question(trial.item().shortLabel()));
        result.put("photo", TrialLinks.photo(token, trial.position()));
        result.put("explanation", TrialLinks.explanation(token, trial.position(), state.condition()));
        result.put("explanationData", TrialLinks.session(token) + "/trials/" + trial.position() + "/explanation.json");
        Map<String, Object> options = new LinkedHashMap<>();
        for (Side side : Side.values()) {
            options.put(side.key(), Map.of("image", TrialLinks.option(token, trial.position(), side),
                    "patches", trial.item().patches(trial.itemSide(side)).toList()));
        }
        result.put("options", options);
        return result;
    }

    /** Body: {@code itemId}, {@code side} (left or right as shown), optional {@code rating} (1-5),
     * {@code clientTime} (ISO-8601 or epoch milliseconds) and {@code responseMs}. */
    @POST
    @Path("/answers")
    public Response answer(@PathParam("token") String token, Map<String, Object> body) {
        if (body == null) {
            throw StudyException.badRequest("send a JSON object with itemId and side");
        }
        StudySessions.Answer answer = new StudySessions.Answer(
                requiredLong(body.get("itemId"), "itemId"),
                Side.byKey(string(body.get("side"))).orElseThrow(
                        () -> StudyException.badRequest("side must be left or right")),
                rating(body.get("rating")), clientTime(body.get("clientTime")), responseMs(body.get("responseMs")));
        StudySessions.Answered answered = sessions.answer(token, answer);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stored", answered.stored());
        result.put("duplicate", !answered.stored());
        result.put("completed", answered.completed());
        if (answered.trial().item().kind() == ItemBuilder.Kind.PRACTICE) {
            StudySessions.Trial trial = answered.trial();
            result.put("feedback", Map.of("correct", answered.correct(),
                    "leftConfidence", trial.item().confidence(trial.itemSide(Side.LEFT)),
                    "rightConfidence", trial.item().confidence(trial.itemSide(Side.RIGHT))));
        }
        return Response.status(answered.stored() ? 201 : 200).entity(result).build();
    }

    static String string(Object value) {
        return value == null ? null : value.toString();
    }

    static long requiredLong(Object value, String name) {
        if (value == null) {
            throw StudyException.badRequest(name + " is missing");
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw StudyException.badRequest(name + " must be a whole number");
        }
    }

    /** A whole number from {@code min} to {@code max}, or null when absent. */
    static Integer optionalInt(Object value, String name, int min, int max) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            long number = Long.parseLong(value.toString().trim());
            if (number < min || number > max) {
                throw StudyException.badRequest(name + " must be " + min + " to " + max);
            }
            return (int) number;
        } catch (NumberFormatException e) {
            throw StudyException.badRequest(name + " must be a whole number");
        }
    }

    static Integer responseMs(Object value) {
        return optionalInt(value, "responseMs", 0, 86_400_000);
    }

    static Integer rating(Object value) {
        return optionalInt(value, "rating", 1, 5);
    }

    /** ISO-8601 with an offset, or milliseconds since 1970. */
    static OffsetDateTime clientTime(Object value) {
        String text = string(value);
        if (text == null || text.isBlank()) {
            return null;
        }
        OffsetDateTime time;
        try {
            time = text.trim().matches("\\d{1,15}")
                    ? Instant.ofEpochMilli(Long.parseLong(text.trim())).atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw StudyException.badRequest("clientTime must be ISO-8601 (2026-11-26T14:00:00Z) or epoch milliseconds");
        }
        if (time.getYear() < 2000 || time.getYear() > 9999) {
            throw StudyException.badRequest("clientTime must fall in the years 2000 to 9999");
        }
        return time;
    }
}
