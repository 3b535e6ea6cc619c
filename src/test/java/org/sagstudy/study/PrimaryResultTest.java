package org.sagstudy.study;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.results.SimulatedReader;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.StudyApi;

/**
 * A study's primary result cannot be won by look-up or by arithmetic: on a study built with the defaults from real
 * photos and the real model, the node is the right answer in half of the node questions, the item audit agrees with a
 * recount from items.csv, strategies that read no explanation stay near chance on the primary questions while the SAG
 * reader does better, a design that "more patches wins" solves is refused, the exclusion rules are frozen, and the
 * pre-registration is written, hashed and followed by its deviations log.
 */
@QuarkusTest
class PrimaryResultTest {

    @Inject
    StudyCatalog catalog;

    @Inject
    Explanations explanations;

    private static List<Long> photos() throws Exception {
        return ExplainedPhotos.upload("imagenet-dev/n02391049_zebra.JPEG", "imagenet-dev/n01980166_fiddler_crab.JPEG",
                "imagenet-dev/n02088094_Afghan_hound.JPEG", "imagenet-dev/n01440764_tench.JPEG",
                "imagenet-dev/n01601694_water_ouzel.JPEG");
    }

    private static long draft(String designFields) throws Exception {
        List<Long> photos = photos();
        String body = String.format(Locale.ROOT, """
                {"name": "Primary %d", "design": {"imageIds": [%d, %d, %d, %d], "practiceImageIds": [%d],
                 "questionsPerImage": 4%s}}""", System.nanoTime(), photos.get(0), photos.get(1), photos.get(2),
                photos.get(3), photos.get(4), designFields);
        long id = ExplainedPhotos.admin().contentType(ContentType.JSON).body(body).post("/api/studies").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        StudyApi.awaitReady(id);
        return id;
    }

    /** items.csv as one map per row (labels such as "tench, Tinca tinca" are quoted cells). */
    private static List<Map<String, String>> items(long study) throws Exception {
        String csv = ExplainedPhotos.admin().get("/api/studies/" + study + "/results/export/items.csv").then()
                .statusCode(200).extract().asString();
        List<Map<String, String>> rows = new ArrayList<>();
        for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv))) {
            rows.add(record.toMap());
        }
        return rows;
    }

    private static double score(double left, double right, boolean leftCorrect) {
        return left == right ? 0.5 : (left > right) == leftCorrect ? 1 : 0;
    }

    private static Set<Integer> patches(String cell) {
        return cell.isBlank() ? Set.of() : Arrays.stream(cell.trim().split(" ")).map(Integer::valueOf)
                .collect(Collectors.toSet());
    }

    @Test
    void theItemsGiveNothingAwayAndTheAuditIsARecount() throws Exception {
        long study = draft("");
        JsonPath detail = ExplainedPhotos.admin().get("/api/studies/" + study).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of(), detail.getList("problems"));
        List<Map<String, Object>> audit = detail.getList("audit.kinds");
        Map<String, Map<String, Object>> byKind = audit.stream().collect(Collectors.toMap(k -> (String) k.get("kind"),
                k -> k));

        List<Map<String, String>> trials = items(study).stream().filter(r -> r.get("item_kind").equals("trial"))
                .toList();
        for (Map.Entry<String, Map<String, Object>> kind : byKind.entrySet()) {
            List<Map<String, String>> rows = trials.stream().filter(r -> kind.getKey().equals("primary")
                    ? r.get("primary_outcome").equals("true") : r.get("question_kind").equals(kind.getKey())).toList();
            assertEquals(rows.size(), ((Number) kind.getValue().get("questions")).intValue(), kind.getKey());
            double patchesRule = 0;
            double gradcam = 0;
            double igos = 0;
            double node = 0;
            int nodeQuestions = 0;
            int nodeRight = 0;
            for (Map<String, String> r : rows) {
                boolean leftCorrect = r.get("correct_side").equals("left");
                boolean leftNode = r.get("left_in_sag").equals("true");
                boolean rightNode = r.get("right_in_sag").equals("true");
                patchesRule += score(patches(r.get("left_patches")).size(), patches(r.get("right_patches")).size(),
                        leftCorrect);
                gradcam += score(Double.parseDouble(r.get("left_gradcam_heat")),
                        Double.parseDouble(r.get("right_gradcam_heat")), leftCorrect);
                igos += score(Double.parseDouble(r.get("left_igos_heat")), Double.parseDouble(r.get("right_igos_heat")),
                        leftCorrect);
                node += leftNode == rightNode ? 0.5 : leftNode == leftCorrect ? 1 : 0;
                if (leftNode != rightNode) {
                    nodeQuestions++;
                    nodeRight += leftNode == leftCorrect ? 1 : 0;
                }
            }
            // JSON numbers arrive as floats here: compare to 1e-6
            @SuppressWarnings("unchecked")
            Map<String, Number> strategies = (Map<String, Number>) kind.getValue().get("strategies");
            String what = kind.getKey() + " " + strategies;
            assertEquals(patchesRule / rows.size(), strategies.get("more-patches").doubleValue(), 1e-6, what);
            assertEquals(gradcam / rows.size(), strategies.get("more-gradcam-heat").doubleValue(), 1e-6, what);
            assertEquals(igos / rows.size(), strategies.get("more-igos-heat").doubleValue(), 1e-6, what);
            assertEquals(node / rows.size(), strategies.get("sag-node").doubleValue(), 1e-6, what);
            assertEquals(nodeQuestions, ((Number) kind.getValue().get("nodeQuestions")).intValue(), what);
            if (kind.getKey().equals("one-in-sag")) {
                assertTrue(nodeQuestions > 0);
                assertTrue(Math.abs(nodeRight - (nodeQuestions - nodeRight)) <= 1
                        || Math.abs((double) nodeRight / nodeQuestions - 0.5) <= 0.05,
                        "the node is the right answer in half of the node questions: " + nodeRight + "/"
                                + nodeQuestions);
            }
        }
        double primaryPatches = ((Number) ((Map<?, ?>) byKind.get("primary").get("strategies")).get("more-patches"))
                .doubleValue();
        assertTrue(Math.abs(primaryPatches - 0.5) <= 0.1, "more patches wins: " + primaryPatches);
    }

    @Test
    void readersThatReadNoExplanationStayNearChanceWhileTheSagReaderDoesBetter() throws Exception {
        long study = draft("");
        StudyDesign design = catalog.existing(study).design();
        Map<SimulatedReader.Strategy, Double> total = new HashMap<>();
        int primary = 0;
        for (StudyItem item : catalog.items(study).values()) {
            if (item.kind() != ItemKind.TRIAL || !design.isPrimary(item.questionKind())) {
                continue;
            }
            primary++;
            SeenExplanation seen = SeenExplanation.of(Condition.SAG, design, explanations.byId(item.explanationId())
                    .orElseThrow());
            for (SimulatedReader.Strategy strategy : List.of(SimulatedReader.Strategy.NODE_RECOGNISER,
                    SimulatedReader.Strategy.MORE_PATCHES, SimulatedReader.Strategy.SAG_READER)) {
                total.merge(strategy, SimulatedReader.expectedScore(strategy, Set.copyOf(item.left().toList()),
                        Set.copyOf(item.right().toList()), item.correctSide() == Side.LEFT, seen), Double::sum);
            }
        }
        assertTrue(primary >= 4, "primary questions: " + primary);
        int n = primary;
        Map<SimulatedReader.Strategy, Double> accuracy = total.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue() / n));
        double nodes = accuracy.get(SimulatedReader.Strategy.NODE_RECOGNISER);
        double patches = accuracy.get(SimulatedReader.Strategy.MORE_PATCHES);
        double sag = accuracy.get(SimulatedReader.Strategy.SAG_READER);
        assertTrue(Math.abs(nodes - 0.5) <= 0.1 && Math.abs(patches - 0.5) <= 0.1, accuracy.toString());
        assertTrue(sag > Math.max(nodes, patches), "the SAG reader reads the graph: " + accuracy);
    }

    @Test
    void aDesignThatMorePatchesSolvesIsRefusedWithTheReason() throws Exception {
        long study = draft(", \"questionKinds\": {\"parent-child\": 1, \"neither-random\": 1}, "
                + "\"primaryKinds\": [\"parent-child\"]");
        List<String> problems = ExplainedPhotos.admin().get("/api/studies/" + study).then().statusCode(200)
                .extract().jsonPath().getList("problems", String.class);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("\"more patches wins\" answers")), problems.toString());
        ExplainedPhotos.admin().post("/api/studies/" + study + "/open").then().statusCode(409)
                .body("error", containsString("more patches wins"));
    }

    @Test
    void rulesArePreregisteredFrozenAndDeviationsLogged() throws Exception {
        long study = draft(", \"questionKinds\": {\"both-in-sag\": 1, \"neither-random\": 2}, "
                + "\"plannedPerCondition\": 25, \"expectedAccuracy\": {\"sag\": 0.75, \"gradcam\": 0.6, "
                + "\"igos\": 0.6}, \"exclusions\": {\"maxFailedChecks\": 1, \"minMedianMs\": 1500, "
                + "\"excludeIncomplete\": true, \"excludeFlagged\": true}");
        JsonPath preview = ExplainedPhotos.admin().get("/api/studies/" + study + "/preregistration?format=json")
                .then().statusCode(200).extract().jsonPath();
        assertFalse(preview.getBoolean("registered"));
        String previewHash = preview.getString("sha256");
        ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"name\": \"Primary changed\", \"design\": "
                + "{\"minGap\": 0.25}}").put("/api/studies/" + study).then().statusCode(200);
        StudyApi.awaitReady(study);
        String changedHash = ExplainedPhotos.admin().get("/api/studies/" + study + "/preregistration?format=json")
                .then().statusCode(200).extract().jsonPath().getString("sha256");
        assertNotEquals(previewHash, changedHash, "the document follows the design");

        ExplainedPhotos.admin().post("/api/studies/" + study + "/open").then().statusCode(200);
        JsonPath registered = ExplainedPhotos.admin().get("/api/studies/" + study + "/preregistration?format=json")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(registered.getBoolean("registered"));
        String markdown = registered.getString("markdown");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(markdown.getBytes(StandardCharsets.UTF_8))), registered.getString("sha256"));
        for (String section : List.of("## Hypotheses", "## Primary outcome", "## Conditions", "### sag",
                "### gradcam", "## Items", "### Item audit", "## Exclusion rules", "## Analysis",
                "## Sample size, power and stopping rule")) {
            assertTrue(markdown.contains(section), section + " in\n" + markdown);
        }
        assertTrue(markdown.contains("more than 1 attention check(s) failed"), markdown);
        assertTrue(markdown.contains("Planned: 25 completed sessions per condition"), markdown);
        assertTrue(markdown.contains("Power behind it: expected accuracy"), markdown);
        assertTrue(markdown.contains("(1 | item:condition)"), markdown);
        // the registration names the exact script the export gives
        byte[] script = ExplainedPhotos.admin().get("/api/studies/" + study + "/results/export/analysis.R").then()
                .statusCode(200).extract().asByteArray();
        assertTrue(markdown.contains("SHA-256 `" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(script)) + "`"), markdown);

        // the registered rules apply by default; others are exploratory, in the page's data and in the files
        assertEquals("", ExplainedPhotos.admin().get("/api/studies/" + study + "/results/analysis").then()
                .statusCode(200).extract().jsonPath().getString("exploratory"));
        assertEquals("exploratory: not the registered rules", ExplainedPhotos.admin().get("/api/studies/" + study
                + "/results/analysis?maxFailedChecks=3").then().statusCode(200).extract().jsonPath()
                .getString("exploratory"));
        Response exploratory = ExplainedPhotos.admin().get("/api/studies/" + study
                + "/results/export/answers.csv?minMedianMs=0");
        exploratory.then().statusCode(200).header("Content-Disposition", containsString("exploratory-answers.csv"));
        assertTrue(exploratory.asString().lines().findFirst().orElseThrow().contains("exclusion_rules"));

        ExplainedPhotos.admin().post("/api/studies/" + study + "/close").then().statusCode(200);
        ExplainedPhotos.admin().get("/api/studies/" + study + "/preregistration").then().statusCode(200)
                .header("X-Content-SHA256", registered.getString("sha256"))
                .body(startsWith("# Pre-registration: Primary changed"))
                .body(containsString("closed early, before the planned sample of 25 per condition"));
    }

    @Test
    void aSecondWrongAnswerToTheComprehensionCheckFlagsTheSession() throws Exception {
        long study = StudyApi.openStudy("\"sag\"");
        String token = StudyApi.start(study, "{}").getString("token");
        String wrong = ComprehensionCheck.answer(Condition.SAG).equals("a") ? "b" : "a";
        io.restassured.RestAssured.given().redirects().follow(false).post("/p/" + token + "/instructions").then()
                .statusCode(400).body(containsString("Please choose an answer"));
        io.restassured.RestAssured.given().redirects().follow(false).formParam("comprehension", wrong)
                .post("/p/" + token + "/instructions").then().statusCode(303)
                .header("Location", containsString("/p/" + token + "?retry=1"));
        io.restassured.RestAssured.given().get("/p/" + token + "?retry=1").then().statusCode(200)
                .body(containsString("comprehension-feedback")).body(containsString("Not quite."));
        io.restassured.RestAssured.given().redirects().follow(false).formParam("comprehension", wrong)
                .post("/p/" + token + "/instructions").then().statusCode(303);
        io.restassured.RestAssured.given().get("/p/" + token).then().statusCode(200)
                .body(containsString("Question 1 of"));
        String participants = ExplainedPhotos.admin().get("/api/studies/" + study
                + "/results/export/participants.csv").then().statusCode(200).extract().asString();
        String row = participants.lines().skip(1).findFirst().orElseThrow();
        assertTrue(row.contains(",true,registered,") && row.contains("flagged (" + ComprehensionCheck.FLAG + ")"),
                "flagged and so excluded by the registered rules: " + participants);
    }
}
