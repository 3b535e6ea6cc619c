package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sagstudy.testing.ExplainedPhotos.admin;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sagstudy.study.StartLimits;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.FormPages;
import org.sagstudy.testing.StudyApi;

/** The attacks of the security audit, each sent for real and its refusal asserted. */
@QuarkusTest
class SecurityTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource dataSource;

    @Inject
    StartLimits.Config startLimits;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    private long count(String sql, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long openStudy(String design) throws InterruptedException {
        long id = admin().contentType(ContentType.JSON).body("{\"name\": \"Attacked\", \"design\": " + design + "}")
                .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(List.of(), StudyApi.awaitReady(id));
        admin().post("/api/studies/" + id + "/open").then().statusCode(200);
        return id;
    }

    private static String photos() throws Exception {
        List<Long> photos = ExplainedPhotos.studyPhotos();
        return "\"imageIds\": [" + photos.get(0) + ", " + photos.get(1) + "], \"practiceImageIds\": [" + photos.get(2)
                + "]";
    }

    @Test
    void aHugeJsonBodyIsRefusedBeforeItIsReadAndAModestOneStillWorks() throws Exception {
        long study = openStudy("{\"conditions\": [\"sag\"], " + photos() + "}");
        String huge = "{\"PROLIFIC_PID\": \"" + "x".repeat(5_000_000) + "\"}";
        long started = System.nanoTime();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/api/studies/" + study + "/sessions"))
                .header("Content-Type", "application/json").header("X-Requested-With", "test")
                .POST(HttpRequest.BodyPublishers.ofString(huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, refused.statusCode());
        // by its length, not by the JSON reader's string limit (also a 413, but only after reading the body)
        assertTrue(refused.body().contains("request body larger than"), refused.body());
        assertEquals("close", refused.headers().firstValue("Connection").orElse(""));
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "refused at once, not after reading 5 MB");
        given().get("/q/health/live").then().statusCode(200);

        String modest = "{\"padding\": \"" + "y".repeat(60_000) + "\"}";
        given().contentType(ContentType.JSON).body(modest).post("/api/studies/" + study + "/sessions").then()
                .statusCode(201).body("token", notNullValue());
        given().contentType(ContentType.JSON).body("{\"a\": " + "{\"a\": ".repeat(100) + "1" + "}".repeat(101))
                .post("/api/studies/" + study + "/sessions").then().statusCode(413);
    }

    @Test
    void passwordGuessingIsThrottledAndNamesDoNotShowInTheTiming() throws Exception {
        // timing first: wrong passwords for a real and an unknown name, each from its own address
        List<Long> known = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            known.add(signInMillis("admin", "wrong-" + i, "198.51.100." + (10 + i)));
            unknown.add(signInMillis("nobody-" + i, "wrong", "198.51.100." + (20 + i)));
        }
        known.sort(null);
        unknown.sort(null);
        double ratio = (double) known.get(1) / Math.max(1, unknown.get(1));
        assertTrue(ratio > 0.5 && ratio < 2, "a wrong password and an unknown name cost alike: " + known + " vs "
                + unknown);
        given().auth().preemptive().basic("admin", "test-secret").get("/api/jobs").then().statusCode(200);

        int throttled = 0;
        String retryAfter = null;
        for (int i = 0; i < 20; i++) {
            Response response = given().auth().preemptive().basic("admin", "guess-" + i)
                    .header("X-Forwarded-For", "203.0.113.9").get("/api/jobs");
            assertTrue(response.statusCode() == 401 || response.statusCode() == 429, "" + response.statusCode());
            if (response.statusCode() == 429) {
                throttled++;
                retryAfter = response.header("Retry-After");
            }
        }
        assertTrue(throttled >= 10, "after a few failures the guessing address must wait: " + throttled);
        assertTrue(retryAfter != null && Long.parseLong(retryAfter) >= 1);
        given().auth().preemptive().basic("admin", "test-secret").header("X-Forwarded-For", "203.0.113.9")
                .get("/api/jobs").then().statusCode(429).header("Retry-After", notNullValue());
        // no account lock: the owner, elsewhere, signs in while the guesser waits
        given().auth().preemptive().basic("admin", "test-secret").header("X-Forwarded-For", "203.0.113.10")
                .get("/api/jobs").then().statusCode(200);
        FormPages.signIn("admin", "test-secret", null).then().statusCode(303);
        // once the wait is over, the right password works again from the guessing address too
        Thread.sleep(1000 * (Long.parseLong(retryAfter) + 1));
        awaitSignIn();
    }

    private long signInMillis(String user, String password, String address) {
        long started = System.nanoTime();
        given().auth().preemptive().basic(user, password).header("X-Forwarded-For", address).get("/api/jobs").then()
                .statusCode(401);
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void awaitSignIn() throws InterruptedException {
        for (int i = 0; i < 30; i++) {
            if (given().auth().preemptive().basic("admin", "test-secret").header("X-Forwarded-For", "203.0.113.9")
                    .get("/api/jobs").statusCode() == 200) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the account stayed locked");
    }

    @Test
    void aPlatformIdAloneDoesNotResumeSomeoneElsesSession() throws Exception {
        long study = openStudy("{\"conditions\": [\"sag\"], " + photos() + "}");
        String pid = "5f0c1a2b3c4d5e6f7a8b9c0d";
        Response first = given().contentType(ContentType.JSON)
                .body("{\"PROLIFIC_PID\": \"" + pid + "\", \"SESSION_ID\": \"aaaaaaaaaaaaaaaaaaaaaaaa\"}")
                .post("/api/studies/" + study + "/sessions");
        first.then().statusCode(201);
        String token = first.jsonPath().getString("token");
        String cookie = first.getCookie("sag-resume-" + study);
        assertTrue(cookie != null && cookie.length() > 20, "the first device keeps a secret");
        assertTrue(first.getDetailedCookie("sag-resume-" + study).isHttpOnly());

        given().contentType(ContentType.JSON).body("{\"PROLIFIC_PID\": \"" + pid + "\"}")
                .post("/api/studies/" + study + "/sessions").then().statusCode(409)
                .body(not(containsString(token))).body("token", equalTo(null));
        given().contentType(ContentType.JSON).cookie("sag-resume-" + study, cookie)
                .body("{\"PROLIFIC_PID\": \"" + pid + "\"}").post("/api/studies/" + study + "/sessions").then()
                .statusCode(200).body("token", equalTo(token)).body("resumed", equalTo(true));
        // a form on another site cannot plant a session, even with a form token it fetched from here
        FormPages.withFormToken("/studies/" + study, given()).header("Origin", "https://evil.example")
                .formParam("PROLIFIC_PID", pid).post("/studies/" + study + "/sessions").then().statusCode(403)
                .body("error", equalTo("cross-site requests are refused"));
    }

    @Test
    void aStudyForProlificTakesOnlyProlificParticipants() throws Exception {
        long study = openStudy("{\"conditions\": [\"sag\"], \"platform\": \"prolific\", " + photos() + "}");
        given().contentType(ContentType.JSON).body("{}").post("/api/studies/" + study + "/sessions").then()
                .statusCode(400);
        given().contentType(ContentType.JSON).body("{\"PROLIFIC_PID\": \"abc\"}")
                .post("/api/studies/" + study + "/sessions").then().statusCode(400)
                .body("error", containsString("24 hexadecimal"));
        given().contentType(ContentType.JSON)
                .body("{\"workerId\": \"A1B2C3D4E5F6G7\", \"assignmentId\": \"ASSIGNMENT_ID_NOT_AVAILABLE\"}")
                .post("/api/studies/" + study + "/sessions").then().statusCode(409);
        JsonPath flagged = given().contentType(ContentType.JSON)
                .body("{\"PROLIFIC_PID\": \"0123456789abcdef01234567\"}").post("/api/studies/" + study + "/sessions")
                .then().statusCode(201).extract().jsonPath();
        assertEquals("STUDY_ID missing, SESSION_ID missing", flaggedOf(flagged.getString("token")));
    }

    private String flaggedOf(String token) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT flags FROM participant_session WHERE token = ?")) {
            query.setString(1, token);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    @Test
    void theServerTimesAnswersAndRefusesQuestionsItNeverServed() throws Exception {
        long study = openStudy("{\"conditions\": [\"sag\"], \"practiceItems\": 0, \"attentionChecks\": 0, "
                + photos().replaceAll(", \"practiceImageIds\": \\[\\d+\\]", "") + "}");
        String token = StudyApi.start(study, "{\"PROLIFIC_PID\": \"claims-to-be-slow\"}").getString("token");
        long unserved = count("SELECT t.item_id FROM trial t JOIN participant_session s ON s.id = t.session_id "
                + "WHERE s.token = ? AND t.position = 0", token);
        given().contentType(ContentType.JSON).body(Map.of("itemId", unserved, "side", "left", "responseMs", 5000))
                .post("/api/sessions/" + token + "/answers").then().statusCode(409);
        for (JsonPath q = StudyApi.next(token); !q.getBoolean("done"); q = StudyApi.next(token)) {
            given().contentType(ContentType.JSON).body(Map.of("itemId", q.getLong("itemId"), "side", "left",
                    "responseMs", 5000)).post("/api/sessions/" + token + "/answers").then().statusCode(201);
        }
        JsonPath analysis = admin().get("/api/studies/" + study + "/results/analysis").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, analysis.getInt("conditions[0].excluded"), "a script that claims 5 s is too fast");
        assertTrue(analysis.getString("conditions[0].exclusionReasons").contains("too fast"));
        String participants = admin().get("/api/studies/" + study + "/results/export/participants.csv").then()
                .statusCode(200).extract().asString();
        assertTrue(participants.contains("too fast"), participants);
        String answers = admin().get("/api/studies/" + study + "/results/export/answers.csv").then().statusCode(200)
                .extract().asString();
        assertTrue(answers.contains(",5000,"), "the client's claim is kept as data");
    }

    @Test
    void aFloodOfStartsIsRefusedWhileParticipantsKeepAnswering() throws Exception {
        long study = openStudy("{\"conditions\": [\"sag\"], \"practiceItems\": 0, " + photos()
                .replaceAll(", \"practiceImageIds\": \\[\\d+\\]", "") + "}");
        String token = StudyApi.start(study, "{}").getString("token");
        ExecutorService pool = Executors.newFixedThreadPool(32);
        long floodStarted = System.nanoTime();
        try {
            List<Future<Integer>> starts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                starts.add(pool.submit(() -> http.send(HttpRequest.newBuilder(uri("/api/studies/" + study
                        + "/sessions")).header("Content-Type", "application/json").header("X-Requested-With", "t")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            List<Long> answerMillis = new ArrayList<>();
            for (JsonPath q = StudyApi.next(token); !q.getBoolean("done"); q = StudyApi.next(token)) {
                long started = System.nanoTime();
                int status = given().contentType(ContentType.JSON).body(Map.of("itemId", q.getLong("itemId"),
                        "side", "left")).post("/api/sessions/" + token + "/answers").statusCode();
                answerMillis.add((System.nanoTime() - started) / 1_000_000);
                assertEquals(201, status);
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> start : starts) {
                statuses.add(start.get());
            }
            assertTrue(answerMillis.stream().allMatch(ms -> ms < 1000), "answers stay fast: " + answerMillis);
            assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 429), "only 201 and 429: " + statuses);
            double seconds = (System.nanoTime() - floodStarted) / 1e9;
            long accepted = statuses.stream().filter(s -> s == 201).count();
            // the study's bucket: its burst, then its rate for as long as the flood lasted (however slow the machine)
            double allowed = startLimits.studyBurst() + startLimits.studyPerSecond() * Math.ceil(seconds);
            assertTrue(accepted <= allowed, accepted + " starts accepted in " + seconds + " s, at most " + allowed);
            assertTrue(statuses.contains(429), "excess starts are refused");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theApiRefusesCrossSiteStateChangesAndGetChangesNothing() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:test-secret".getBytes());
        // with the API header: the Origin alone refuses it
        HttpResponse<String> fromEvil = http.send(HttpRequest.newBuilder(uri("/api/jobs/1/cancel"))
                .header("Authorization", basic).header("Origin", "https://evil.example")
                .header("X-Requested-With", "test").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, fromEvil.statusCode());
        assertTrue(fromEvil.body().contains("cross-site requests are refused"), fromEvil.body());
        HttpResponse<String> withoutHeader = http.send(HttpRequest.newBuilder(uri("/api/jobs/1/cancel"))
                .header("Authorization", basic).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, withoutHeader.statusCode());
        assertTrue(withoutHeader.body().contains("needs the header"), withoutHeader.body());
        given().auth().preemptive().basic("admin", "test-secret").post("/api/jobs/999999/cancel").then()
                .statusCode(409);

        String session = signIn(null);
        long study = openStudy("{\"conditions\": [\"sag\"], " + photos() + "}");
        given().cookie("sag-session", session).redirects().follow(false)
                .get("/admin/studies/" + study + "/preview/sag").then().statusCode(405);
        given().cookie("sag-session", session).redirects().follow(false).get("/logout").then().statusCode(405);
        String csrf = csrfOf(session);
        given().cookie("sag-session", session).header("X-CSRF-Token", csrf)
                .post("/admin/studies/" + study + "/preview/unknown").then().statusCode(400);
        given().cookie("sag-session", session).header("X-CSRF-Token", csrf)
                .post("/admin/studies/" + study + "/preview/sag").then().statusCode(200)
                .body("page", containsString("/p/"));
    }

    private static String signIn(String forwardedProto) {
        Response response = FormPages.signIn("admin", "test-secret", forwardedProto);
        response.then().statusCode(303);
        return response.getCookie("sag-session");
    }

    private static String csrfOf(String session) {
        String page = given().cookie("sag-session", session).get("/admin").then().statusCode(200).extract()
                .asString();
        Matcher token = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        assertTrue(token.find());
        return token.group(1);
    }

    @Test
    void behindATlsProxyCookiesAreSecureAndSignOutEndsTheSession() {
        Response signedIn = FormPages.signIn("admin", "test-secret", "https");
        signedIn.then().statusCode(303).header("Strict-Transport-Security", containsString("max-age"));
        assertEquals(null, signedIn.getCookie("sag-session"), "behind HTTPS the cookie has the __Host- prefix");
        assertTrue(signedIn.getDetailedCookie("__Host-sag-session").isSecured(), "Secure behind HTTPS");
        assertTrue(signedIn.getDetailedCookie("__Host-sag-session").isHttpOnly());
        String session = signedIn.getCookie("__Host-sag-session");
        Response page = given().cookie("sag-session", session).get("/admin");
        page.then().statusCode(200).header("Referrer-Policy", "same-origin")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("default-src 'self'"));
        assertEquals(null, page.header("Strict-Transport-Security"), "no HSTS over plain HTTP");
        String csrf = csrfOf(session);

        given().redirects().follow(false).cookie("sag-session", session).formParam("csrf", "wrong").post("/logout")
                .then().statusCode(403);
        given().redirects().follow(false).cookie("sag-session", session).formParam("csrf", csrf).post("/logout")
                .then().statusCode(303);
        given().redirects().follow(false).cookie("sag-session", session).get("/admin").then().statusCode(302)
                .header("Location", containsString("/login"));
    }

    @Test
    void zipBombsAndUnsupportedFormatsAreRefusedQuickly() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("__MACOSX/._huge"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                out.write(zeros);
            }
        }
        long before = count("SELECT count(*) FROM image");
        long started = System.nanoTime();
        admin().multiPart("file", "skipped.zip", zip.toByteArray(), "application/zip").post("/api/images").then()
                .statusCode(413).body("rejected[0].error", containsString("zip bomb"));
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "refused within a second");
        assertEquals(before, count("SELECT count(*) FROM image"));

        BufferedImage picture = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(picture, "tiff", tiff));
        admin().multiPart("file", "photo.tif", tiff.toByteArray(), "image/tiff").post("/api/images").then()
                .statusCode(415);
    }

    @Test
    void savesRacingAnOpenLeaveADesignThatMatchesItsItems() throws Exception {
        String photos = photos();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                long study = admin().contentType(ContentType.JSON).body("{\"name\": \"Race\", \"design\": {"
                        + photos + "}}").post("/api/studies").then().statusCode(201).extract().jsonPath()
                        .getLong("id");
                Future<Integer> save = pool.submit(() -> admin().contentType(ContentType.JSON)
                        .body("{\"name\": \"Race\", \"design\": {\"questionsPerImage\": 1}}")
                        .put("/api/studies/" + study).statusCode());
                Future<Integer> open = pool.submit(() -> admin().post("/api/studies/" + study + "/open")
                        .statusCode());
                List<Integer> statuses = List.of(save.get(), open.get());
                assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 409), statuses.toString());
                JsonPath detail = admin().get("/api/studies/" + study).then().extract().jsonPath();
                int perPhoto = detail.getInt("design.questionsPerImage");
                long trials = detail.getList("items.kind", String.class).stream().filter("trial"::equals).count();
                assertEquals(2L * perPhoto, trials, "items as the stored design says (" + statuses + ")");
                assertEquals(statuses.get(0) == 200 ? 1 : 2, perPhoto);
            }
        } finally {
            pool.shutdownNow();
        }

        long draft = admin().contentType(ContentType.JSON).body("{\"name\": \"Kept\", \"design\": {" + photos + "}}")
                .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO participant_session (study_id, token, condition, kind, platform, seed)
                VALUES (?, 'a-real-participant-token', 'sag', 'participant', 'anonymous', 1)""")) {
            insert.setLong(1, draft);
            insert.executeUpdate();
        }
        admin().contentType(ContentType.JSON).body("{\"name\": \"Kept\", \"design\": {\"questionsPerImage\": 1}}")
                .put("/api/studies/" + draft).then().statusCode(409);
        assertEquals(1, count("SELECT count(*) FROM participant_session WHERE study_id = ? AND kind = 'participant'",
                draft), "a participant's session is never deleted by a save");
    }

    @Test
    void picturesOfQuestionsStillToComeAreNotServed() throws Exception {
        long study = openStudy("{\"conditions\": [\"sag\"], " + photos() + "}");
        String token = StudyApi.start(study, "{}").getString("token");
        int position = StudyApi.next(token).getInt("position");
        given().get("/p/" + token + "/trials/" + position + "/left.png").then().statusCode(200);
        given().get("/p/" + token + "/trials/" + (position + 1) + "/left.png").then().statusCode(404);
        given().get("/p/" + token + "/trials/" + (position + 1) + "/explanation.svg").then().statusCode(404);
    }

    @Test
    void exportPseudonymsAndAnswerKeysGiveNothingAway() throws Exception {
        long study = openStudy("{\"conditions\": [\"sag\"], " + photos() + "}");
        String token = StudyApi.start(study, "{\"PROLIFIC_PID\": \"visible-id\"}").getString("token");
        assertEquals(201, StudyApi.answer(token, StudyApi.next(token).getLong("itemId"), "left"));
        String participants = admin().get("/api/studies/" + study + "/results/export/participants.csv?incomplete=keep")
                .then().statusCode(200).extract().asString();
        assertFalse(participants.contains("visible-id"));
        String unkeyed = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest((study + ":prolific:visible-id").getBytes()), 0, 8);
        assertFalse(participants.contains(unkeyed), "the pseudonym is keyed by the server's secret");
        String keys = admin().get("/api/studies/" + study + "/results/answer-keys").then().statusCode(200).extract()
                .asString();
        assertFalse(keys.contains(token), "answer keys carry no session tokens");
    }

    @Test
    void requestsThroughTheProxyLeaveNoOpenFilesBehind() throws Exception {
        // a trusted proxy read as a host name made Quarkus open a DNS client (a UDP socket) per request and never
        // close it, until the process ran out of file descriptors; this JVM's UDP sockets must not grow with requests
        long before = udpSockets();
        for (int i = 0; i < 300; i++) {
            given().header("X-Forwarded-For", "203.0.113." + (1 + i % 250)).header("X-Forwarded-Proto", "https")
                    .get("/q/health/live").then().statusCode(200);
        }
        long grown = udpSockets() - before;
        assertTrue(grown < 10, "300 requests left " + grown + " more UDP sockets open");
    }

    /** UDP sockets this process holds: its descriptors that name a socket listed in /proc/net/udp or udp6. */
    private static long udpSockets() throws java.io.IOException {
        java.util.Set<String> udp = new java.util.HashSet<>();
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            java.nio.file.Files.readAllLines(java.nio.file.Path.of(table)).stream().skip(1)
                    .map(line -> line.trim().split("\\s+")).filter(columns -> columns.length > 9)
                    .forEach(columns -> udp.add("socket:[" + columns[9] + "]"));
        }
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return files.filter(fd -> {
                try {
                    return udp.contains(java.nio.file.Files.readSymbolicLink(fd).toString());
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }
}
