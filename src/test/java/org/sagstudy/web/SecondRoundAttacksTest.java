package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sagstudy.testing.ExplainedPhotos.admin;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.FormPages;
import org.sagstudy.testing.StudyApi;

/**
 * The second round of attacks on participant integrity and on the guards (issue 21), each sent for real against the
 * server and PostgreSQL, and its refusal asserted.
 */
@QuarkusTest
class SecondRoundAttacksTest {

    private static final String PROLIFIC_STUDY = "65a1b2c3d4e5f60718293a4b";

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource dataSource;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private static long openStudy(String fields) throws Exception {
        List<Long> photos = ExplainedPhotos.studyPhotos();
        long id = admin().contentType(ContentType.JSON).body("{\"name\": \"Attacked again\", \"design\": {"
                + "\"conditions\": [\"sag\", \"gradcam\"], \"imageIds\": [" + photos.get(0) + ", " + photos.get(1)
                + "], \"practiceImageIds\": [" + photos.get(2) + "], \"completionCode\": \"PAID\"" + fields + "}}")
                .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(List.of(), StudyApi.awaitReady(id));
        admin().post("/api/studies/" + id + "/open").then().statusCode(200);
        return id;
    }

    private String text(String sql, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static Response start(long study, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/studies/" + study + "/sessions");
    }

    @Test
    void aProlificIdInAnotherLetterCaseIsTheSameParticipant() throws Exception {
        long study = openStudy(", \"platform\": \"prolific\", \"recruitment\": {\"platformStudyId\": \""
                + PROLIFIC_STUDY + "\"}");
        String pid = "5f0c1a2b3c4d5e6f7a8b9c0d";
        String session = "aaaa0000bbbb1111cccc2222";
        Response first = start(study, "{\"PROLIFIC_PID\": \"" + pid + "\", \"STUDY_ID\": \"" + PROLIFIC_STUDY
                + "\", \"SESSION_ID\": \"" + session + "\"}");
        first.then().statusCode(201);
        String token = first.jsonPath().getString("token");
        assertNull(text("SELECT flags FROM participant_session WHERE token = ?", token), "a clean start");

        // the same PID in capitals, from another device: no new participation, no token
        start(study, "{\"PROLIFIC_PID\": \"" + pid.toUpperCase() + "\", \"STUDY_ID\": \"" + PROLIFIC_STUDY
                + "\"}").then().statusCode(409);
        assertEquals("1", text("SELECT count(*) FROM participant_session WHERE study_id = ? AND kind = "
                + "'participant'", study));
        // ... while the same platform session in capitals resumes it
        start(study, "{\"PROLIFIC_PID\": \"" + pid.toUpperCase() + "\", \"SESSION_ID\": \""
                + session.toUpperCase() + "\"}").then().statusCode(200)
                .body("token", org.hamcrest.Matchers.equalTo(token));
        assertEquals(pid, text("SELECT external_id FROM participant_session WHERE token = ?", token));

        String other = start(study, "{\"PROLIFIC_PID\": \"0123456789abcdef01234567\", \"STUDY_ID\": "
                + "\"ffffffffffffffffffffffff\", \"SESSION_ID\": \"" + session + "\"}").then().statusCode(201)
                .extract().jsonPath().getString("token");
        assertEquals("STUDY_ID is not this study's, SESSION_ID already used by another participant",
                text("SELECT flags FROM participant_session WHERE token = ?", other));
    }

    /** The side the participant sees the right answer on. */
    private String shownCorrectSide(String token, long item) throws Exception {
        String placement = text("""
                SELECT i.correct_side || ' ' || t.mirrored FROM trial t JOIN study_item i ON i.id = t.item_id
                JOIN participant_session s ON s.id = t.session_id WHERE s.token = ? AND t.item_id = ?""", token, item);
        boolean left = placement.startsWith("left") != placement.endsWith("true");
        return left ? "left" : "right";
    }

    /** Answers every question: rightly, except attention checks when {@code failChecks}. */
    private JsonPath complete(String token, boolean failChecks) throws Exception {
        JsonPath question = StudyApi.next(token);
        for (; !question.getBoolean("done"); question = StudyApi.next(token)) {
            long item = question.getLong("itemId");
            String right = shownCorrectSide(token, item);
            boolean check = "attention".equals(text("SELECT kind FROM study_item WHERE id = ?", item));
            String side = check && failChecks ? (right.equals("left") ? "right" : "left") : right;
            assertEquals(201, StudyApi.answer(token, item, side));
        }
        return question;
    }

    @Test
    void onlyASessionThatCountsSeesItsOwnCodeAndNothingIsAnsweredAfterTheClose() throws Exception {
        long study = openStudy(", \"exclusions\": {\"minMedianMs\": 0}, \"recruitment\": {\"screenOutCode\": "
                + "\"SCREENED\"}, \"redirectUrl\": \"https://app.prolific.com/submissions/complete?cc={code}\"");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tokens.add(StudyApi.start(study, "{\"PROLIFIC_PID\": \"code-" + i + "\"}").getString("token"));
        }
        JsonPath honest = complete(tokens.get(0), false);
        JsonPath alsoHonest = complete(tokens.get(1), false);
        JsonPath careless = complete(tokens.get(2), true);

        String code = honest.getString("completionCode");
        assertTrue(code.matches("PAID-[0-9A-F]{10}"), code);
        assertNotEquals(code, alsoHonest.getString("completionCode"), "every session has its own code");
        assertEquals("https://app.prolific.com/submissions/complete?cc=" + code, honest.getString("redirectUrl"));
        assertFalse(honest.getBoolean("screenedOut"));
        assertNull(careless.getString("completionCode"), "failed attention checks earn no completion code");
        assertNull(careless.getString("redirectUrl"));
        assertTrue(careless.getBoolean("screenedOut"));
        assertEquals("SCREENED", careless.getString("screenOutCode"));
        String page = given().get("/p/" + tokens.get(2)).then().statusCode(200).extract().asString();
        assertTrue(page.contains("id=\"screened-out\"") && !page.contains("PAID-"), page);

        // the experimenter reconciles the platform's submissions with the codes shown
        String csv = admin().get("/api/studies/" + study + "/results/export/participants.csv?incomplete=keep")
                .then().statusCode(200).extract().asString();
        Set<String> exported = new HashSet<>();
        for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv))) {
            exported.add(row.get("completion_code"));
        }
        assertEquals(Set.of(code, alsoHonest.getString("completionCode"), ""), exported);

        // a link found a month later in a browser history opens nothing
        try (Connection c = dataSource.getConnection(); PreparedStatement age = c.prepareStatement(
                "UPDATE participant_session SET started_at = now() - interval '31 days' WHERE token = ?")) {
            age.setString(1, tokens.get(0));
            age.executeUpdate();
        }
        given().get("/api/sessions/" + tokens.get(0) + "/next").then().statusCode(404);
        given().get("/p/" + tokens.get(0)).then().statusCode(404);

        // after the close, an open session cannot add answers
        String late = tokens.get(3);
        long item = StudyApi.next(late).getLong("itemId");
        admin().post("/api/studies/" + study + "/close").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("itemId", item, "side", "left"))
                .post("/api/sessions/" + late + "/answers").then().statusCode(410)
                .body("error", org.hamcrest.Matchers.containsString("closed"));
        assertEquals("0", text("SELECT count(*) FROM answer a JOIN participant_session s ON s.id = a.session_id "
                + "WHERE s.token = ?", late));
    }

    @Test
    void attentionChecksCannotBeSolvedByCountingPatches() throws Exception {
        long study = openStudy("");
        List<Map<String, Object>> items = admin().get("/api/studies/" + study).then().statusCode(200).extract()
                .jsonPath().getList("items");
        long checks = 0;
        for (Map<String, Object> item : items) {
            if ("attention".equals(item.get("kind"))) {
                long id = ((Number) item.get("id")).longValue();
                String sizes = text("SELECT bit_count(left_patches::bit(64)) || ' ' || bit_count(right_patches::bit(64)) "
                        + "FROM study_item WHERE id = ?", id);
                String[] counts = sizes.split(" ");
                assertEquals(counts[0], counts[1], "both views of an attention check show as many patches");
                checks++;
            }
        }
        assertEquals(2, checks);
    }

    private HttpResponse<String> post(String rawPath, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                + rawPath)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void crossSiteRequestsAreRefusedWhateverThePathOrTheOriginSays() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:test-secret".getBytes());
        // routing reads /%61pi/ as /api/: so does the guard
        assertEquals(403, post("/%61pi/jobs/999999/cancel", Map.of("Authorization", basic), "").statusCode());
        assertEquals(403, post("/api/../%61pi/jobs/999999/cancel", Map.of("Authorization", basic), "").statusCode());
        assertEquals(409, post("/%61pi/jobs/999999/cancel", Map.of("Authorization", basic, "X-Requested-With",
                "script"), "").statusCode(), "with the script header it is a plain API call");
        assertEquals(403, post("/api/jobs/999999/cancel", Map.of("Authorization", basic, "X-Requested-With",
                "script", "Sec-Fetch-Site", "cross-site"), "").statusCode());

        long study = openStudy("");
        String landing = "/studies/" + study;
        // a page elsewhere that hides its referrer sends Origin: null; a form without this site's token is refused
        RequestSpecification withNullOrigin = FormPages.withFormToken(landing, given()).header("Origin", "null")
                .formParam("PROLIFIC_PID", "from-elsewhere-1");
        withNullOrigin.post(landing + "/sessions").then().statusCode(403);
        FormPages.withFormToken(landing, given()).header("Sec-Fetch-Site", "cross-site")
                .formParam("PROLIFIC_PID", "from-elsewhere-2").post(landing + "/sessions").then().statusCode(403);
        given().redirects().follow(false).formParam("PROLIFIC_PID", "from-elsewhere-3").formParam("form_token",
                "0".repeat(32)).post(landing + "/sessions").then().statusCode(403);
        given().redirects().follow(false).formParam("username", "admin").formParam("password", "test-secret")
                .post("/login").then().statusCode(403);
        assertEquals("0", text("SELECT count(*) FROM participant_session WHERE study_id = ?", study));

        // the site's own page, as a browser posts it, starts the session
        FormPages.withFormToken(landing, given()).header("Sec-Fetch-Site", "same-origin")
                .formParam("PROLIFIC_PID", "from-here").post(landing + "/sessions").then().statusCode(303);
        assertEquals("1", text("SELECT count(*) FROM participant_session WHERE study_id = ?", study));
        given().get("/admin").then().header("Cache-Control", "no-store");
        given().get("/studies/999999").then().statusCode(404);
        admin().post("/api/studies/" + study + "/close").then().statusCode(200);
        given().get(landing).then().statusCode(404);
    }

    @Test
    void guessesCostTheGuesserNotTheOwnerAndABurstGetsOneTry() throws Exception {
        // one IPv6 /64 is one client: five guesses from five of its addresses use up its attempts at this account
        for (int i = 1; i <= 5; i++) {
            given().auth().preemptive().basic("admin", "wrong-" + i).header("X-Forwarded-For", "2001:db8:5:6::" + i)
                    .get("/api/jobs").then().statusCode(401);
        }
        given().auth().preemptive().basic("admin", "wrong-6").header("X-Forwarded-For", "2001:db8:5:6:ffff::9")
                .get("/api/jobs").then().statusCode(429);
        given().auth().preemptive().basic("admin", "test-secret").header("X-Forwarded-For", "2001:db8:5:7::1")
                .get("/api/jobs").then().statusCode(200);

        // a wait ends and eight guesses arrive at once: one is checked, the others wait
        String address = "198.51.100.77";
        String retryAfter = null;
        for (int i = 0; i < 6 && retryAfter == null; i++) {
            Response response = FormPages.withFormToken("/login", given()).header("X-Forwarded-For", address)
                    .formParam("username", "admin").formParam("password", "guess-" + i).post("/login");
            if (response.statusCode() == 429) {
                retryAfter = response.header("Retry-After");
            } else {
                assertEquals(303, response.statusCode());
            }
        }
        assertTrue(retryAfter != null, "five wrong passwords from one address make it wait");
        List<RequestSpecification> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(FormPages.withFormToken("/login", given()).header("X-Forwarded-For", address)
                    .formParam("username", "admin").formParam("password", "burst-" + i));
        }
        Thread.sleep(1000 * Long.parseLong(retryAfter));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (RequestSpecification request : burst) {
                sent.add(pool.submit(() -> request.post("/login").statusCode()));
            }
            int checked = 0;
            for (Future<Integer> status : sent) {
                int code = status.get();
                assertTrue(code == 303 || code == 429, "" + code);
                checked += code == 303 ? 1 : 0;
            }
            assertTrue(checked <= 1, checked + " of a burst of 8 guesses were checked");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aScriptWithTheRightPasswordIsNeverThrottled() throws Exception {
        String address = "198.51.100.88";
        given().auth().preemptive().basic("admin", "test-secret").header("X-Forwarded-For", address)
                .get("/api/jobs").then().statusCode(200);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(pool.submit(() -> given().auth().preemptive().basic("admin", "test-secret")
                        .header("X-Forwarded-For", address).get("/api/jobs").statusCode()));
            }
            for (Future<Integer> status : sent) {
                assertEquals(200, status.get(), "credentials checked a moment ago cost no sign-in attempt");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exportsHideWhatLeadsBackToThePersonAndNoCellBecomesAFormula() throws Exception {
        long study = openStudy("");
        String formula = "x;=1+cmd|' /c calc'!a0";
        String token = given().contentType(ContentType.JSON).header("User-Agent", "agent;=2+2")
                .body("{\"PROLIFIC_PID\": \"privacy\", \"STUDY_ID\": \"" + formula + "\", \"SESSION_ID\": "
                        + "\"platform-session-9\"}")
                .post("/api/studies/" + study + "/sessions").then().statusCode(201).extract().jsonPath()
                .getString("token");
        assertEquals(201, StudyApi.answer(token, StudyApi.next(token).getLong("itemId"), "left"));
        String path = "/api/studies/" + study + "/results/export/participants.csv?incomplete=keep";
        String pseudonymous = admin().get(path).then().statusCode(200).extract().asString();
        for (String personal : List.of("privacy", "cmd", "platform-session-9", "agent;")) {
            assertFalse(pseudonymous.contains(personal), personal + " is in the default export");
        }
        String raw = admin().get(path + "&raw=true").then().statusCode(200).extract().asString();
        assertTrue(raw.contains("\"" + formula + "\""), "a cell with a semicolon is quoted whole: " + raw);
        assertTrue(raw.contains("\"agent;=2+2\""), raw);
        CSVRecord row = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(raw)).getRecords().get(0);
        assertEquals(formula, row.get("external_study"));
        assertEquals("platform-session-9", row.get("external_session"));
    }
}
