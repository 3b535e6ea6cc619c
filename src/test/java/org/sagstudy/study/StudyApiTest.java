package org.sagstudy.study;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sagstudy.testing.StudyApi.answer;
import static org.sagstudy.testing.StudyApi.next;
import static org.sagstudy.testing.StudyApi.openStudy;
import static org.sagstudy.testing.StudyApi.start;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.StudyApi;

/** The study flow through the JSON API and the plain pages, against the real worker's explanations. */
@QuarkusTest
class StudyApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    Assignment assignment;

    /** The side on this participant's screen where the option the model prefers stands. */
    String correctShownSide(String token, long item) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT i.correct_side, t.mirrored FROM trial t JOIN study_item i ON i.id = t.item_id
                JOIN participant_session s ON s.id = t.session_id WHERE s.token = ? AND t.item_id = ?""")) {
            query.setString(1, token);
            query.setLong(2, item);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                boolean left = row.getString(1).equals("left") != row.getBoolean(2);
                return left ? "left" : "right";
            }
        }
    }

    private int count(String sql, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    @Test
    void thirtySessionsAreAssignedTenTenTenAndPreviewsDoNotCount() throws Exception {
        long study = openStudy("\"gradcam\", \"igos\", \"sag\"");
        assignment.start(study, new Assignment.StartRequest(ExternalIds.anonymous(), SessionKind.PREVIEW,
                Condition.SAG, null, null));
        assignment.start(study, new Assignment.StartRequest(ExternalIds.anonymous(), SessionKind.PREVIEW,
                Condition.SAG, null, null));
        Map<String, Integer> assigned = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            JsonPath session = start(study, "{\"PROLIFIC_PID\": \"p" + i + "\", \"STUDY_ID\": \"s\"}");
            assigned.merge(session.getString("condition"), 1, Integer::sum);
        }
        assertEquals(Map.of("gradcam", 10, "igos", 10, "sag", 10), assigned);
        JsonPath summary = ExplainedPhotos.admin().get("/api/studies/" + study).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of(10, 10, 10), summary.getList("participants.active"));
        assertEquals(List.of(0, 0, 2), summary.getList("participants.preview"));
    }

    @Test
    void anExternalIdTakesPartOnce() throws Exception {
        long study = openStudy("\"gradcam\", \"sag\"");
        io.restassured.response.Response firstStart = given().contentType(ContentType.JSON)
                .body("{\"PROLIFIC_PID\": \"same\", \"SESSION_ID\": \"a\"}").post("/api/studies/" + study + "/sessions");
        JsonPath first = firstStart.then().statusCode(201).extract().jsonPath();
        // the same person on the first device (its resume cookie) comes back to the same session
        JsonPath again = given().contentType(ContentType.JSON).cookies(firstStart.getCookies())
                .body("{\"PROLIFIC_PID\": \"same\", \"SESSION_ID\": \"b\"}").post("/api/studies/" + study + "/sessions")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(first.getString("token"), again.getString("token"));
        assertTrue(again.getBoolean("resumed"));
        JsonPath mturk = start(study, "{\"workerId\": \"same\", \"assignmentId\": \"A1\", \"hitId\": \"H1\"}");
        assertNotEquals(first.getString("token"), mturk.getString("token"), "another platform, another person");
        assertEquals(1, count("SELECT count(*) FROM participant_session WHERE study_id = ? AND platform = 'prolific'",
                study));
    }

    @Test
    void aDoubleSubmitStoresOneAnswerAndQuestionsComeInOrder() throws Exception {
        long study = openStudy("\"sag\"");
        String token = start(study, "{}").getString("token");
        JsonPath first = next(token);
        long item = first.getLong("itemId");
        assertEquals(201, answer(token, item, "left"));
        assertEquals(200, answer(token, item, "right"), "a repeat is accepted and changes nothing");
        assertEquals(1, count("SELECT count(*) FROM answer a JOIN participant_session s ON s.id = a.session_id "
                + "WHERE s.token = ?", token));
        given().contentType(ContentType.JSON).body(Map.of("itemId", item, "side", "right"))
                .post("/api/sessions/" + token + "/answers").then().statusCode(200).body("stored", equalTo(false))
                .body("duplicate", equalTo(true));
        assertEquals(1, count("SELECT count(*) FROM answer a JOIN participant_session s ON s.id = a.session_id "
                + "WHERE s.token = ? AND a.chosen_side = 'left'", token), "the first answer stands");
        JsonPath second = next(token);
        assertNotEquals(item, second.getLong("itemId"));
        long later = ExplainedPhotos.admin().get("/api/studies/" + study).then().extract().jsonPath()
                .getList("items.findAll { it.kind == 'trial' }.id", Long.class).stream()
                .filter(id -> id != second.getLong("itemId")).findFirst().orElseThrow();
        given().contentType(ContentType.JSON).body(Map.of("itemId", later, "side", "left"))
                .post("/api/sessions/" + token + "/answers").then().statusCode(409)
                .body("error", containsString("first"));
        given().contentType(ContentType.JSON).body(Map.of("itemId", 999_999, "side", "left"))
                .post("/api/sessions/" + token + "/answers").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("itemId", second.getLong("itemId"), "side", "up"))
                .post("/api/sessions/" + token + "/answers").then().statusCode(400)
                .body("error", equalTo("side must be left or right"));
        given().contentType(ContentType.JSON).body("{not json").post("/api/sessions/" + token + "/answers").then()
                .statusCode(400);
    }

    @Test
    void concurrentRepeatsOfAStartOrAnAnswerStoreOneAndFailNone() throws Exception {
        long study = openStudy("\"gradcam\", \"sag\"");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<JsonPath>> starts = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // a Prolific link carries the session id: the clicks of one person resume one session
                starts.add(pool.submit(() -> start(study, "{\"PROLIFIC_PID\": \"twice\", \"SESSION_ID\": \"s1\"}")));
            }
            java.util.Set<String> tokens = new java.util.HashSet<>();
            for (java.util.concurrent.Future<JsonPath> f : starts) {
                tokens.add(f.get().getString("token"));
            }
            assertEquals(1, tokens.size(), "one session for one person, however many clicks");
            String token = tokens.iterator().next();
            long item = next(token).getLong("itemId");
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String side = i % 2 == 0 ? "left" : "right";
                answers.add(pool.submit(() -> answer(token, item, side)));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(5, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(1, count("SELECT count(*) FROM answer a JOIN participant_session s ON s.id = a.session_id "
                    + "WHERE s.token = ?", token));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void answersOutOfRangeAreRefusedWithAReason() throws Exception {
        long study = openStudy("\"sag\"");
        String token = start(study, "{}").getString("token");
        long item = next(token).getLong("itemId");
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("itemId", item, "side", "left", "responseMs", 3_000_000_000L),
                Map.of("itemId", item, "side", "left", "responseMs", -5),
                Map.of("itemId", item, "side", "left", "rating", "1.4"),
                Map.of("itemId", item, "side", "left", "rating", 6),
                Map.of("itemId", item, "side", "left", "clientTime", "+300000-01-01T00:00Z"),
                Map.of("itemId", item, "side", "left", "clientTime", "yesterday"))) {
            given().contentType(ContentType.JSON).body(body).post("/api/sessions/" + token + "/answers").then()
                    .statusCode(400);
        }
        assertEquals(0, count("SELECT count(*) FROM answer a JOIN participant_session s ON s.id = a.session_id "
                + "WHERE s.token = ?", token));
        ExplainedPhotos.admin().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"design\": {\"conditions\": null}}").post("/api/studies").then()
                .statusCode(400).body("error", containsString("without nulls"));
        ExplainedPhotos.admin().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"design\": {\"imageIds\": [null]}}").post("/api/studies").then()
                .statusCode(400);
        long normalized = ExplainedPhotos.admin().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"design\": {\"conditions\": [\" SAG\", \"sag\"]}}")
                .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
        assertTrue(ExplainedPhotos.admin().get("/api/studies/" + normalized).then().extract().jsonPath()
                .getList("problems", String.class).contains("a condition is listed twice"));
        given().contentType(ContentType.JSON).body(Map.of("PROLIFIC_PID", "nul\u0000id"))
                .post("/api/studies/" + study + "/sessions").then().statusCode(400);
        given().redirects().follow(false).get("/p/a%20b/feedback/0").then().statusCode(404);
        given().get("/api/sessions/%00/next").then().statusCode(404);
        given().get("/p/" + token + "/trials/99999/left.png").then().statusCode(404);
        ExplainedPhotos.admin().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"design\": {\"consent\": \"a\\u0000b\"}}").post("/api/studies")
                .then().statusCode(400);
    }

    @Test
    void aWholeSessionStoresEveryAnswerAndAFailedAttentionCheck() throws Exception {
        long study = openStudy("\"igos\"");
        String token = start(study, "{\"PROLIFIC_PID\": \"whole\"}").getString("token");
        Map<Long, String> kinds = new HashMap<>();
        ExplainedPhotos.admin().get("/api/studies/" + study).then().extract().jsonPath().getList("items", Map.class)
                .forEach(i -> kinds.put(((Number) i.get("id")).longValue(), (String) i.get("kind")));
        int answered = 0;
        for (JsonPath question = next(token); !question.getBoolean("done"); question = next(token)) {
            long item = question.getLong("itemId");
            String right = correctShownSide(token, item);
            String side = kinds.get(item).equals("attention") ? (right.equals("left") ? "right" : "left") : right;
            assertEquals(201, answer(token, item, side));
            answered++;
        }
        JsonPath done = next(token);
        assertEquals(null, done.getString("completionCode"), "two failed attention checks earn no completion code");
        assertTrue(done.getBoolean("screenedOut"));
        assertEquals(answered, done.getInt("total"));
        assertEquals(1, count("SELECT count(*) FROM participant_session WHERE token = ? AND state = 'completed' "
                + "AND completed_at IS NOT NULL", token));
        assertEquals(2, count("""
                SELECT count(*) FROM answer a JOIN study_item i ON i.id = a.item_id
                JOIN participant_session s ON s.id = a.session_id
                WHERE s.token = ? AND i.kind = 'attention' AND NOT a.correct""", token));
        assertEquals(answered - 2, count("SELECT count(*) FROM answer a JOIN participant_session s "
                + "ON s.id = a.session_id WHERE s.token = ? AND a.correct AND a.shown_at IS NOT NULL "
                + "AND a.server_time >= a.shown_at", token));
    }

    @Test
    void theTrialPageAndTheApiQuestionGiveNothingAway() throws Exception {
        long study = openStudy("\"sag\", \"gradcam\"");
        JsonPath session = start(study, "{}");
        String token = session.getString("token");
        StudyApi.passComprehension(token, session.getString("condition"));
        String page = given().get("/p/" + token).then().statusCode(200).extract().asString();
        String api = given().get("/api/sessions/" + token + "/next").then().extract().asString();
        long item = JsonPath.from(api).getLong("itemId");
        assertTrue(page.contains("value=\"" + item + "\""), "the page shows the current question");
        Map<?, ?> key = ExplainedPhotos.admin().get("/api/studies/" + study).then().extract().jsonPath()
                .getList("items", Map.class).stream().filter(i -> ((Number) i.get("id")).longValue() == item)
                .findFirst().orElseThrow();
        for (String text : List.of(page, api)) {
            String lower = text.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("correct"), "no answer key");
            for (String side : List.of("leftConfidence", "rightConfidence")) {
                double confidence = ((Number) key.get(side)).doubleValue();
                for (String shown : List.of(Double.toString(confidence),
                        String.format(Locale.ROOT, "%.3f", confidence),
                        String.format(Locale.ROOT, "%.1f%%", 100 * confidence))) {
                    assertFalse(text.contains(shown), shown + " appears in " + text);
                }
            }
        }
        assertFalse(page.contains(key.get("leftPatches").toString().replace(" ", "")), "no patch set in the page");
    }

    @Test
    void aReloadShowsTheSameQuestionAndTheFormMovesOn() throws Exception {
        long study = openStudy("\"gradcam\"");
        String token = start(study, "{}").getString("token");
        assertTrue(given().get("/p/" + token).then().statusCode(200).extract().asString()
                .contains("id=\"instructions\""));
        StudyApi.passComprehension(token, "gradcam");
        String first = given().get("/p/" + token).then().extract().asString();
        String reloaded = given().get("/p/" + token).then().extract().asString();
        assertTrue(first.contains("Question 1 of"));
        assertEquals(first, reloaded);
        long item = next(token).getLong("itemId");
        given().redirects().follow(false).formParam("item", item).formParam("side", "left")
                .formParam("clientTime", "2026-11-26T10:00:00Z").formParam("responseMs", "2345")
                .post("/p/" + token + "/answers").then().statusCode(303)
                .header("Location", containsString("/p/" + token + "/feedback/0"));
        given().redirects().follow(false).formParam("item", item).formParam("side", "right")
                .post("/p/" + token + "/answers").then().statusCode(303);
        assertTrue(given().get("/p/" + token + "/feedback/0").then().statusCode(200).extract().asString()
                .contains("confident"), "practice feedback shows the confidences after the answer");
        assertTrue(given().get("/p/" + token).then().extract().asString().contains("Question 2 of"));
        assertEquals(2345, count("SELECT a.client_response_ms FROM answer a JOIN participant_session s "
                + "ON s.id = a.session_id WHERE s.token = ?", token));
        assertEquals(1, count("SELECT count(*) FROM answer a JOIN participant_session s ON s.id = a.session_id "
                + "WHERE s.token = ? AND a.chosen_side = 'left' AND a.client_time = '2026-11-26T10:00:00Z'", token));
    }

    @Test
    void closedDraftAndFrozenStudiesAnswerWithClearErrors() throws Exception {
        long study = openStudy("\"sag\"");
        ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"name\": \"x\"}").put("/api/studies/" + study)
                .then().statusCode(409).body("error", containsString("frozen"));
        long photo = ExplainedPhotos.studyPhotos().get(0);
        ExplainedPhotos.admin().delete("/api/images/" + photo).then().statusCode(409)
                .body("error", containsString("used by the study"));
        ExplainedPhotos.admin().post("/api/studies/" + study + "/close").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").post("/api/studies/" + study + "/sessions").then()
                .statusCode(409).body("error", containsString("not open"));
        given().get("/studies/" + study).then().statusCode(404).body(containsString("not taking participants"));
        given().get("/studies/999999").then().statusCode(404);
        long draft = ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"name\": \"Draft\"}")
                .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body("{}").post("/api/studies/" + draft + "/sessions").then()
                .statusCode(409);
        ExplainedPhotos.admin().post("/api/studies/" + draft + "/open").then().statusCode(409)
                .body("error", containsString("choose at least one photo"));
        ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"name\": \"x\", \"design\": {\"colour\": 1}}")
                .put("/api/studies/" + draft).then().statusCode(400).body("error", containsString("colour"));
        ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"design\": {}}").post("/api/studies").then()
                .statusCode(400).body("error", containsString("name"));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\"}").post("/api/studies").then().statusCode(401);
        ExplainedPhotos.admin().delete("/api/studies/" + draft).then().statusCode(204);
        ExplainedPhotos.admin().delete("/api/studies/" + study).then().statusCode(409);
    }

    @Test
    void photosTheModelGetsWrongAreRefusedUnlessAllowed() throws Exception {
        List<Long> photos = ExplainedPhotos.studyPhotos();
        long crab = photos.get(0);
        ExplainedPhotos.admin().get("/api/images/" + crab).then().statusCode(200)
                .body("trueClass.wnid", equalTo("n01980166"), "trueClass.label", containsString("fiddler crab"));
        String body = String.format(Locale.ROOT, """
                {"name": "True classes", "design": {"conditions": ["sag", "gradcam"], "imageIds": [%d, %d],
                 "practiceImageIds": [%d], "allowMisclassified": %%s}}""", crab, photos.get(1), photos.get(2));
        try {
            ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"trueClass\": \"tench\"}")
                    .put("/api/images/" + crab + "/true-class").then().statusCode(200)
                    .body("trueClass.wnid", equalTo("n01440764"));
            ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"trueClass\": \"no such class\"}")
                    .put("/api/images/" + crab + "/true-class").then().statusCode(400);

            List<String> refused = ExplainedPhotos.admin().contentType(ContentType.JSON)
                    .body(String.format(body, "false")).post("/api/studies").then().statusCode(201).extract()
                    .jsonPath().getList("problems", String.class);
            assertTrue(refused.stream().anyMatch(p -> p.contains("fiddler_crab") && p.contains("but it shows tench")),
                    refused.toString());
            long allowed = ExplainedPhotos.admin().contentType(ContentType.JSON).body(String.format(body, "true"))
                    .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
            assertEquals(List.of(), StudyApi.awaitReady(allowed));
            String items = ExplainedPhotos.admin().get("/api/studies/" + allowed + "/results/export/items.csv")
                    .then().statusCode(200).extract().asString();
            List<CSVRecord> crabItems = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(items)).getRecords().stream()
                    .filter(r -> r.get("image_file").contains("fiddler_crab")).toList();
            assertFalse(crabItems.isEmpty());
            for (CSVRecord item : crabItems) {
                assertEquals(List.of("n01440764", "n01980166", "false"), List.of(item.get("true_wnid"),
                        item.get("predicted_wnid"), item.get("correctly_classified")));
            }
        } finally {
            ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"trueClass\": \"n01980166\"}")
                    .put("/api/images/" + crab + "/true-class").then().statusCode(200);
        }
    }

    @Test
    void aDraftSavedBeforeItsPhotoWasExplainedOpensOnceTheWorkItWaitsForIsDone() throws Exception {
        // a photo the database has not seen (the zebra mirrored), so the draft is saved before it has an explanation
        java.awt.image.BufferedImage zebra = javax.imageio.ImageIO.read(java.nio.file.Path.of(
                System.getProperty("sag.shared-dir", "../shared"), "data/images/imagenet-dev/n02391049_zebra.JPEG")
                .toFile());
        java.awt.image.BufferedImage mirrored = new java.awt.image.BufferedImage(zebra.getWidth(), zebra.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < zebra.getHeight(); y++) {
            for (int x = 0; x < zebra.getWidth(); x++) {
                mirrored.setRGB(zebra.getWidth() - 1 - x, y, zebra.getRGB(x, y));
            }
        }
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(mirrored, "jpg", jpeg);
        long photo = ((Number) ExplainedPhotos.admin().multiPart("file", "mirrored_zebra_" + System.nanoTime()
                + ".jpg", jpeg.toByteArray(), "image/jpeg").post("/api/images").then().statusCode(201).extract()
                .path("images[0].id")).longValue();
        List<Long> photos = ExplainedPhotos.studyPhotos();
        long study = ExplainedPhotos.admin().contentType(ContentType.JSON).body(String.format(Locale.ROOT, """
                {"name": "Saved early", "design": {"conditions": ["sag", "gradcam"], "imageIds": [%d, %d],
                 "practiceImageIds": [%d], "minPFull": 0}}""", photo, photos.get(1), photos.get(2)))
                .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");

        // opening alone (nothing else rebuilds the items): refused while the photo and then its random options are
        // being worked on, and open once they are done; the work an attempt asks for must outlive its refusal
        long deadline = System.currentTimeMillis() + 900_000;
        io.restassured.response.Response open;
        do {
            Thread.sleep(500);
            open = ExplainedPhotos.admin().post("/api/studies/" + study + "/open");
            assertTrue(open.statusCode() == 200 || open.asString().contains("has no explanation yet")
                    || open.asString().contains("being evaluated"), open.asString());
        } while (open.statusCode() != 200 && System.currentTimeMillis() < deadline);
        assertEquals(200, open.statusCode(), "the draft opened: " + open.asString());
    }
}
