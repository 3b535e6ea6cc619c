package org.sagstudy.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sagstudy.study.ComprehensionCheck;
import org.sagstudy.study.Condition;

/** The study API as tests drive it. */
public final class StudyApi {

    private StudyApi() {
    }

    /** A new open study of the shared study photos with the given conditions (JSON strings, comma-separated). */
    public static long openStudy(String conditions) throws Exception {
        return openStudy(conditions, "");
    }

    /** The same with more design fields ({@code , "name": value ...}). */
    public static long openStudy(String conditions, String designFields) throws Exception {
        List<Long> photos = ExplainedPhotos.studyPhotos();
        String body = String.format(Locale.ROOT, """
                {"name": "Test %d", "design": {"conditions": [%s], "imageIds": [%d, %d], "practiceImageIds": [%d],
                 "completionCode": "C0DE42"%s}}""", System.nanoTime(), conditions, photos.get(0), photos.get(1),
                photos.get(2), designFields);
        long id = ExplainedPhotos.admin().contentType(ContentType.JSON).body(body).post("/api/studies")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(List.of(), awaitReady(id));
        ExplainedPhotos.admin().post("/api/studies/" + id + "/open").then().statusCode(200)
                .body("state", equalTo("open"));
        return id;
    }

    /**
     * The draft's problems once the worker has evaluated its random options (a draft lists that evaluation as a
     * problem until it is done; viewing the study builds its items again).
     */
    public static List<String> awaitReady(long study) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 900_000;
        while (true) {
            List<String> problems = ExplainedPhotos.admin().get("/api/studies/" + study).then().statusCode(200)
                    .extract().jsonPath().getList("problems", String.class);
            if (problems.stream().noneMatch(p -> p.contains("being evaluated"))
                    || System.currentTimeMillis() > deadline) {
                return problems;
            }
            Thread.sleep(300);
        }
    }

    /** Answers the comprehension check after the instructions rightly, as a participant's form does. */
    public static void passComprehension(String token, String condition) {
        given().redirects().follow(false).formParam("comprehension", ComprehensionCheck.answer(
                Condition.byKey(condition).orElseThrow())).post("/p/" + token + "/instructions").then()
                .statusCode(303).header("Location", not(containsString("retry")));
    }

    public static JsonPath start(long study, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/studies/" + study + "/sessions").then()
                .extract().jsonPath();
    }

    public static JsonPath next(String token) {
        return given().get("/api/sessions/" + token + "/next").then().statusCode(200).extract().jsonPath();
    }

    /** The status of an answer. */
    public static int answer(String token, long item, String side) {
        return given().contentType(ContentType.JSON).body(Map.of("itemId", item, "side", side))
                .post("/api/sessions/" + token + "/answers").then().extract().statusCode();
    }
}
