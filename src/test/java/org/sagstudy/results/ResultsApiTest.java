package org.sagstudy.results;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.StudyApi;

/** Simulated and real participants, then the export and the analysis against the database. */
@QuarkusTest
class ResultsApiTest {

    @Inject
    DataSource dataSource;

    private static List<CSVRecord> csv(String text) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text))
                .getRecords();
    }

    private static String export(long study, String file, String query) {
        return ExplainedPhotos.admin().get("/api/studies/" + study + "/results/export/" + file + withQuery(query)).then()
                .statusCode(200).extract().asString();
    }

    private static String withQuery(String query) {
        return query.isEmpty() ? "" : "?" + query;
    }

    /**
     * Answers every question of a session, right or wrong as {@code correct} says, as if each had been on screen for
     * {@code responseMs} (the server measures it from when it served the question).
     */
    private void complete(String token, boolean correct, int responseMs, int stopAfter) throws Exception {
        int answered = 0;
        for (JsonPath q = StudyApi.next(token); !q.getBoolean("done") && answered < stopAfter;
                q = StudyApi.next(token)) {
            long item = q.getLong("itemId");
            String right;
            try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                    SELECT (i.correct_side = 'left') <> t.mirrored FROM trial t JOIN study_item i ON i.id = t.item_id
                    JOIN participant_session s ON s.id = t.session_id WHERE s.token = ? AND t.item_id = ?""")) {
                query.setString(1, token);
                query.setLong(2, item);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    right = row.getBoolean(1) ? "left" : "right";
                }
            }
            String side = correct ? right : (right.equals("left") ? "right" : "left");
            try (Connection c = dataSource.getConnection(); PreparedStatement served = c.prepareStatement("""
                    UPDATE trial SET shown_at = now() - make_interval(secs => ?)
                    WHERE session_id = (SELECT id FROM participant_session WHERE token = ?) AND item_id = ?""")) {
                served.setDouble(1, responseMs / 1000.0);
                served.setString(2, token);
                served.setLong(3, item);
                served.executeUpdate();
            }
            given().contentType(ContentType.JSON).body(Map.of("itemId", item, "side", side, "responseMs",
                    responseMs)).post("/api/sessions/" + token + "/answers").then().statusCode(201);
            answered++;
        }
    }

    @Test
    void exportMatchesTheDatabaseAndExclusionsAgreeWithTheAnalysis() throws Exception {
        long study = StudyApi.openStudy("\"gradcam\", \"sag\", \"none\"");
        JsonPath simulated = ExplainedPhotos.admin().contentType(ContentType.JSON)
                .body("{\"participants\": 6, \"strategy\": \"auto\"}").post("/api/studies/" + study + "/results/simulate")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(6, simulated.getInt("participants"));
        given().contentType(ContentType.JSON).body("{\"simulated\": true}").post("/api/studies/" + study
                + "/sessions").then().statusCode(403);

        complete(StudyApi.start(study, "{\"PROLIFIC_PID\": \"good\"}").getString("token"), true, 2500, 99);
        complete(StudyApi.start(study, "{\"PROLIFIC_PID\": \"=cmd|' /C calc'!A0\"}").getString("token"), false,
                2500, 99);
        complete(StudyApi.start(study, "{\"PROLIFIC_PID\": \"fast\"}").getString("token"), true, 300, 99);
        complete(StudyApi.start(study, "{\"PROLIFIC_PID\": \"gone\"}").getString("token"), true, 2500, 3);

        // every answer of the study, row for row, with raw ids
        List<CSVRecord> rows = csv(export(study, "answers.csv", "population=all&raw=true"));
        Map<String, CSVRecord> byKey = new HashMap<>();
        rows.forEach(r -> byKey.put(r.get("participant") + "/" + r.get("item_id"), r));
        int inDatabase = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT a.session_id, a.item_id, a.chosen_side, a.correct, a.position, i.left_confidence,
                       i.right_confidence, i.left_patches, s.condition, s.external_id, s.kind, a.response_ms
                FROM answer a JOIN participant_session s ON s.id = a.session_id JOIN study_item i ON i.id = a.item_id
                WHERE s.study_id = ? AND s.kind <> 'preview'""")) {
            query.setLong(1, study);
            try (ResultSet db = query.executeQuery()) {
                while (db.next()) {
                    inDatabase++;
                    CSVRecord row = byKey.get(db.getLong(1) + "/" + db.getLong(2));
                    assertTrue(row != null, "answer " + db.getLong(1) + "/" + db.getLong(2) + " is exported");
                    assertEquals(db.getString(3), row.get("chosen_side"));
                    assertEquals(Boolean.toString(db.getBoolean(4)), row.get("correct"));
                    assertEquals(db.getInt(5), Integer.parseInt(row.get("trial_index")));
                    assertEquals(db.getDouble(6), Double.parseDouble(row.get("left_confidence")), 0.0);
                    assertEquals(db.getDouble(7), Double.parseDouble(row.get("right_confidence")), 0.0);
                    assertEquals(new PatchSet(db.getLong(8)).toList().stream().map(String::valueOf).toList(),
                            List.of(row.get("left_patches").split(" ")));
                    assertEquals(db.getString(9), row.get("condition"));
                    String external = db.getString(10);
                    assertEquals(external.startsWith("=") ? "'" + external : external, row.get("external_id"),
                            "raw ids, with formulas defused");
                    assertEquals(db.getString(11), row.get("session_kind"));
                    assertEquals(db.getInt(12), Integer.parseInt(row.get("response_ms")));
                }
            }
        }
        assertEquals(inDatabase, rows.size());

        // default export: real participants only, pseudonymous ids
        List<CSVRecord> real = csv(export(study, "answers.csv", ""));
        assertTrue(real.stream().allMatch(r -> r.get("session_kind").equals("participant")));
        assertFalse(real.stream().anyMatch(r -> r.get("external_id").equals("good")), "ids are pseudonyms");
        assertEquals(16, real.stream().filter(r -> r.get("external_id").equals(real.get(0).get("external_id")))
                .findFirst().orElseThrow().get("external_id").length());

        // the same rules give the same exclusions on the analysis and in both exports
        for (String rules : List.of("", "maxFailedChecks=5&minMedianMs=0&incomplete=keep",
                "population=simulated", "population=all&minMedianMs=2000")) {
            List<CSVRecord> participants = csv(export(study, "participants.csv", rules));
            JsonPath analysis = ExplainedPhotos.admin().get("/api/studies/" + study + "/results/analysis" + withQuery(rules))
                    .then()
                    .statusCode(200).extract().jsonPath();
            for (Map<String, Object> condition : analysis.getList("conditions", Map.class)) {
                String name = (String) condition.get("condition");
                long excluded = participants.stream().filter(p -> p.get("condition").equals(name)
                        && p.get("excluded").equals("true")).count();
                long started = participants.stream().filter(p -> p.get("condition").equals(name)).count();
                assertEquals(started, ((Number) condition.get("started")).longValue(), rules + " " + name);
                assertEquals(excluded, ((Number) condition.get("excluded")).longValue(), rules + " " + name);
            }
            Map<String, String> excludedById = new HashMap<>();
            participants.forEach(p -> excludedById.put(p.get("participant"), p.get("excluded")));
            for (CSVRecord answer : csv(export(study, "answers.csv", rules))) {
                assertEquals(excludedById.get(answer.get("participant")), answer.get("excluded"), rules);
            }
        }
        List<CSVRecord> strict = csv(export(study, "participants.csv", ""));
        assertEquals(List.of("", "failed 2 attention checks", "too fast (median N ms)", "incomplete"),
                strict.stream().map(p -> p.get("exclusion_reason").replaceAll("median 3\\d\\d ms", "median N ms"))
                        .toList(), "the server measured about 300 ms for the fast participant");

        JsonPath json = JsonPath.from(export(study, "study.json", "population=all"));
        assertEquals(inDatabase, json.getList("answers").size());
        assertEquals(10, json.getList("participants").size());
        assertEquals("open", json.getString("study.state"));
        assertTrue(export(study, "codebook.md", "").contains("| chosen_item_side |"));
        assertEquals(json.getList("items").size(), csv(export(study, "items.csv", "")).size());
        ExplainedPhotos.admin().get("/api/studies/" + study + "/results/export/secrets.txt").then().statusCode(404);
        ExplainedPhotos.admin().get("/api/studies/" + study + "/results/export/answers.csv?minMedianMs=-1").then()
                .statusCode(400);
        ExplainedPhotos.admin().get("/api/studies/" + study + "/results/analysis?incomplete=include").then().statusCode(400);
        given().get("/api/studies/" + study + "/results/export/answers.csv").then().statusCode(401);
    }
}
