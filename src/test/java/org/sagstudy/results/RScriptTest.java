package org.sagstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.StudyApi;

/**
 * The exported analysis.R, run by R (Debian's r-base-core and r-cran-lme4) on a simulated study's export: it fits the
 * mixed model and agrees with the analysis page on who and what is counted and on which way SAG differs.
 */
@QuarkusTest
class RScriptTest {

    private static final Pattern OBSERVED = Pattern.compile("observed (\\S+): ([0-9.]+) \\((\\d+) participants, "
            + "(\\d+) answers\\)");
    private static final Pattern CONTRAST = Pattern.compile("primary sag vs (\\S+): odds ratio ([0-9.]+) ");

    private static String export(long study, String file) {
        return ExplainedPhotos.admin().get("/api/studies/" + study + "/results/export/" + file
                + "?population=simulated").then().statusCode(200).extract().asString();
    }

    private static int count(String output, String name) {
        Matcher m = Pattern.compile(name + ": (\\d+)").matcher(output);
        assertTrue(m.find(), name + " printed:\n" + output);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theMixedModelScriptCountsAndDecidesAsThePage() throws Exception {
        // enough primary questions per participant for a mixed model (the default design asks about two of four)
        long study = StudyApi.openStudy("\"gradcam\", \"sag\", \"none\"", ", \"questionsPerImage\": 6, "
                + "\"questionKinds\": {\"both-in-sag\": 1, \"neither-random\": 2}");
        ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"participants\": 36, \"strategy\": \"auto\"}")
                .post("/api/studies/" + study + "/results/simulate").then().statusCode(200);

        Path folder = Files.createTempDirectory("sag-r");
        Files.writeString(folder.resolve("answers.csv"), export(study, "answers.csv"), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("analysis.R"), export(study, "analysis.R"), StandardCharsets.UTF_8);
        Process r = new ProcessBuilder("Rscript", "analysis.R", "answers.csv").directory(folder.toFile())
                .redirectErrorStream(true).start();
        String output = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(r.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, r.exitValue(), output);
        assertTrue(output.contains("model used: correct ~ condition"), output);
        assertTrue(output.contains("== primary model: diagnostics =="), output);
        assertTrue(output.contains("condition x kind LRT: chisq"), output);

        JsonPath page = ExplainedPhotos.admin().get("/api/studies/" + study + "/results/analysis?population=simulated")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> conditions = page.getList("conditions");
        int participants = conditions.stream().mapToInt(c -> ((Number) c.get("included")).intValue()).sum();
        int answers = conditions.stream().mapToInt(c -> ((Number) c.get("answers")).intValue()).sum();
        assertTrue(participants >= 20, "random readers fail attention checks and are excluded: " + participants);
        assertEquals(participants, count(output, "participants"));
        assertEquals(answers, count(output, "answers"));

        Map<String, Double> observed = new HashMap<>();
        for (Matcher m = OBSERVED.matcher(output); m.find(); ) {
            observed.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        for (Map<String, Object> condition : conditions) {
            double pooled = ((Number) condition.get("correct")).doubleValue()
                    / ((Number) condition.get("answers")).doubleValue();
            assertEquals(pooled, observed.get((String) condition.get("condition")), 1e-4, output);
        }

        Map<String, Double> contrasts = new HashMap<>();
        for (Matcher m = CONTRAST.matcher(output); m.find(); ) {
            contrasts.put(m.group(1), Math.log(Double.parseDouble(m.group(2))));
        }
        assertEquals(2, contrasts.size(), output);
        // each contrast from a fit to its two conditions alone
        for (String other : contrasts.keySet()) {
            assertTrue(output.contains("sag vs " + other + " fitted as correct ~ condition"), output);
        }
        int decided = 0;
        for (Map<String, Object> comparison : page.getList("comparisons", Map.class)) {
            String other = (String) comparison.get("against");
            double difference = ((Number) comparison.get("participantDifference")).doubleValue();
            // a difference of a few answers may flip on the log-odds scale; a clear one may not
            if (Math.abs(difference) >= 0.05) {
                assertEquals(Math.signum(difference), Math.signum(contrasts.get(other)), other + "\n" + output);
                decided++;
            }
        }
        assertTrue(decided >= 1, "SAG readers beat coin flips clearly:\n" + output);

        // the next study is planned from this pilot's fit: the script prints the planner's request
        Matcher request = Pattern.compile("power request from this fit: (\\{.*\\})").matcher(output);
        assertTrue(request.find(), output);
        JsonPath fitted = JsonPath.from(request.group(1));
        Map<String, Object> accuracy = fitted.getMap("accuracy");
        assertEquals(Set.of("sag", "gradcam", "none"), accuracy.keySet());
        for (String spread : List.of("spread", "itemSpread", "itemConditionSpread")) {
            assertTrue(fitted.getDouble(spread) >= 0 && fitted.getDouble(spread) < 10, spread + ": " + output);
        }
        JsonPath plan = ExplainedPhotos.admin().contentType(ContentType.JSON).body(request.group(1))
                .post("/api/studies/" + study + "/results/power").then().statusCode(200).extract().jsonPath();
        assertEquals(fitted.getDouble("itemConditionSpread"), plan.getDouble("scenario.itemConditionSpread"), 1e-6);
    }
}
