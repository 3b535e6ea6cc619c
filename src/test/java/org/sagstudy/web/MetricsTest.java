package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.StudyApi;

/** The operator's metrics: admins only, and they move with what happens. */
@QuarkusTest
class MetricsTest {

    private static String metrics() {
        return ExplainedPhotos.admin().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void metricsAreForAdminsAndCountJobsParticipantsAndAnswers() throws Exception {
        given().get("/q/metrics").then().statusCode(401);
        long study = StudyApi.openStudy("\"gradcam\", \"sag\"");
        String before = metrics();
        ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"participants\": 2}")
                .post("/api/studies/" + study + "/results/simulate").then().statusCode(200);
        String token = StudyApi.start(study, "{\"PROLIFIC_PID\": \"metrics" + study + "\"}").getString("token");
        StudyApi.next(token);
        String after = metrics();

        String started = "sag_participants_started_total{kind=\"participant\",study=\"" + study + "\"}";
        assertTrue(value(after, started) == 1, after);
        assertTrue(value(after, "sag_participants_started_total{kind=\"simulated\",study=\"" + study + "\"}") == 2);
        assertTrue(value(after, "sag_participants_completed_total{study=\"" + study + "\"}") == 2,
                "both simulated participants completed");
        assertTrue(value(after, "sag_answers_total") > value(before, "sag_answers_total"));
        // the study's photos were explained by this process's worker
        assertTrue(value(after, "sag_jobs_finished_total{outcome=\"done\"}") >= 1, after);
        assertTrue(after.contains("sag_job_phase_seconds_count{phase=\"igosHeatMap\"}"));
        assertTrue(value(after, "sag_forward_passes_total") >= value(after, "sag_forward_batches_total"));
        assertTrue(after.contains("sag_jobs_queue{state=\"done\"}"));
        assertTrue(after.contains("agroal_awaiting_count"), "the connection pool's gauges are exported");
        assertTrue(after.contains("http_server_requests_seconds_count"), "the HTTP server's timings are exported");
        assertTrue(after.contains("uri=\"/api/sessions/{token}/next\""), "latency per route template");
    }
}
