package org.sagstudy.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.FormPages;
import org.sagstudy.testing.SharedData;
import org.sagstudy.testing.StudyApi;

/**
 * A fresh server with demo photos and two models: the shared MobileNetV2 (the default) and the same network saved
 * again under another name (other bytes, so another hash; same predictions, so studies build). The demo study opens
 * by itself once the default model has explained the photos (as in a clone without ../shared, whose demo photos come
 * from Debian's scikit-image package). Each photo gets a job per model, the viewer and the API show either model's
 * explanation, a study uses the model its design names and freezes its hash at open, and a protocol whose model this
 * server lacks is refused. A third configured model whose folder is missing keeps none of this from working and is
 * shown on the models page.
 */
@QuarkusTest
@TestProfile(TwoModelsTest.TwoModels.class)
class TwoModelsTest {

    static final String SECOND = "mobilenet_resaved";
    static final List<String> DEMO_PHOTOS = List.of("n01980166_fiddler_crab.JPEG", "n02088094_Afghan_hound.JPEG");

    public static class TwoModels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path folder = Path.of("target", "test-models", SECOND);
            Path demo = Path.of("target", "demo-photos-test");
            try {
                resave(SharedData.model(), folder);
                if (Files.isDirectory(demo)) {
                    try (var old = Files.list(demo)) {
                        for (Path file : old.toList()) {
                            Files.delete(file);
                        }
                    }
                }
                Files.createDirectories(demo);
                for (String photo : DEMO_PHOTOS) {
                    Files.copy(SharedData.image("imagenet-dev/" + photo), demo.resolve(photo),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                Files.writeString(demo.resolve("LICENSES.md"), "# not a photo: left alone\n");
            } catch (Exception e) {
                throw new IllegalStateException("cannot write the second model or the demo photos: " + e.getMessage(),
                        e);
            }
            // and a third that is not there (yet): the other two work, the models page says what is missing
            return Map.of("sag.model.dir", SharedData.model() + "," + folder.toAbsolutePath() + ",target/no-such-model",
                    "sag.demo.enabled", "true", "sag.demo.images-dir", demo.toAbsolutePath().toString(),
                    "sag.demo.check-every", "1s");
        }
    }

    /** The shared model's two files loaded and saved again under another name, with its synset. */
    static void resave(Path source, Path folder) throws Exception {
        Files.createDirectories(folder);
        Files.copy(source.resolve("synset.txt"), folder.resolve("synset.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String script = String.format(Locale.ROOT, """
                import torch
                for suffix in ("", "_gradcam"):
                    torch.jit.save(torch.jit.load("%s/mobilenet_v2" + suffix + ".pt"), "%s/%s" + suffix + ".pt")
                """, source.toAbsolutePath(), folder.toAbsolutePath(), SECOND);
        Process process = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
    }

    @Test
    void eachModelExplainsStudiesUseTheirModelAndProtocolsNeedIt() throws Exception {
        JsonPath demo = awaitDemoStudy();
        assertEquals("open", demo.getString("state"), demo.prettify());
        assertEquals("mobilenet_v2", demo.getString("design.model"), "a design that names no model gets the default");
        List<Long> photos = demo.getList("design.imageIds", Long.class);
        assertEquals(2, photos.size(), "both confident photos are trials (too few to spare one for practice)");
        assertEquals(2, ExplainedPhotos.admin().get("/api/images").then().statusCode(200).extract().jsonPath()
                .getList("").size(), "the photos were loaded, the licenses file was not");
        String defaultSha = explanation(photos.get(0), null).getString("model.sha256");
        assertEquals(defaultSha, demo.getString("design.modelSha256"), "frozen at open");
        assertEquals("mobilenet_v2", explanation(photos.get(0), null).getString("model.name"));

        for (long photo : photos) {
            JsonPath job = ExplainedPhotos.admin().post("/api/images/" + photo + "/explain?model=" + SECOND)
                    .then().statusCode(200).extract().jsonPath();
            assertNotEquals(defaultSha, job.getString("modelSha256"), "a job per photo and model");
            long again = ExplainedPhotos.admin().post("/api/images/" + photo + "/explain?model=" + SECOND)
                    .then().statusCode(200).extract().jsonPath().getLong("id");
            assertEquals(job.getLong("id"), again, "asked twice, queued once");
        }
        ExplainedPhotos.admin().post("/api/images/" + photos.get(0) + "/explain?model=vgg19").then().statusCode(404)
                .body("error", containsString("no configured model named vgg19"));
        String secondSha = awaitExplanation(photos.get(0), SECOND).getString("model.sha256");
        photos.forEach(photo -> awaitExplanation(photo, SECOND));
        assertNotEquals(defaultSha, secondSha);
        assertEquals(defaultSha, explanation(photos.get(0), "mobilenet_v2").getString("model.sha256"),
                "the first model's explanation is kept");

        String session = FormPages.signIn("admin", "test-secret", null).getCookie("sag-session");
        String viewer = given().cookie("sag-session", session).get("/admin/images/" + photos.get(0) + "?model="
                + SECOND).then().statusCode(200).extract().asString();
        assertTrue(viewer.contains("data-model=\"" + SECOND + "\"") && viewer.contains("gradcam.png?model=" + SECOND)
                && viewer.contains("href=\"/admin/images/" + photos.get(0) + "?model=mobilenet_v2\""), viewer);
        String models = given().cookie("sag-session", session).get("/admin/models").then().statusCode(200).extract()
                .asString();
        assertTrue(models.contains(defaultSha) && models.contains(secondSha) && models.contains("(default)"), models);
        assertTrue(models.contains("Not usable") && models.contains("target/no-such-model"), models);

        long study = ExplainedPhotos.admin().contentType(ContentType.JSON).body("""
                {"name": "Second model", "design": {"conditions": ["sag", "gradcam"], "imageIds": [%d, %d],
                 "practiceItems": 0, "completionCode": "C0DE42", "model": "%s"}}""".formatted(photos.get(0),
                photos.get(1), SECOND)).post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(List.of(), StudyApi.awaitReady(study));
        ExplainedPhotos.admin().post("/api/studies/" + study + "/open").then().statusCode(200);
        JsonPath opened = ExplainedPhotos.admin().get("/api/studies/" + study).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(SECOND, opened.getString("design.model"));
        assertEquals(secondSha, opened.getString("design.modelSha256"), "the hash is frozen at open");
        String protocol = ExplainedPhotos.admin().get("/api/studies/" + study + "/protocol").then().statusCode(200)
                .extract().asString();
        assertEquals(secondSha, JsonPath.from(protocol).getString("model.sha256"));

        ExplainedPhotos.admin().contentType(ContentType.JSON).body(protocol.replace(secondSha, "f".repeat(64)))
                .post("/api/studies/import").then().statusCode(409)
                .body("error", containsString("not among this installation's models"));
        ExplainedPhotos.admin().contentType(ContentType.JSON).body(protocol).post("/api/studies/import").then()
                .statusCode(201);

        long missing = ExplainedPhotos.admin().contentType(ContentType.JSON).body("""
                {"name": "No such model", "design": {"conditions": ["sag"], "imageIds": [%d], "model": "vgg19"}}"""
                .formatted(photos.get(0))).post("/api/studies").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        ExplainedPhotos.admin().get("/api/studies/" + missing).then().statusCode(200)
                .body("problems", hasItem(containsString("model vgg19 is not configured on this server")));
        ExplainedPhotos.admin().post("/api/studies/" + missing + "/open").then().statusCode(409)
                .body("error", containsString("vgg19"));
    }

    private static JsonPath awaitDemoStudy() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 600_000;
        while (System.currentTimeMillis() < deadline) {
            List<Long> ids = ExplainedPhotos.admin().get("/api/studies").then().statusCode(200).extract().jsonPath()
                    .getList("id", Long.class);
            if (!ids.isEmpty()) {
                assertEquals(1, ids.size(), "one demo study");
                JsonPath study = ExplainedPhotos.admin().get("/api/studies/" + ids.get(0)).then().statusCode(200)
                        .extract().jsonPath();
                // a draft until the worker has evaluated its random options and the next check opens it
                List<String> problems = study.getList("problems", String.class);
                if (!study.getString("state").equals("draft")
                        || (!problems.isEmpty() && problems.stream().noneMatch(p -> p.contains("being evaluated")))) {
                    return study;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no demo study within 10 minutes");
    }

    private static JsonPath explanation(long photo, String model) {
        return ExplainedPhotos.admin().get("/api/images/" + photo + "/explanation"
                + (model == null ? "" : "?model=" + model)).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitExplanation(long photo, String model) {
        long deadline = System.currentTimeMillis() + 600_000;
        while (true) {
            var response = ExplainedPhotos.admin().get("/api/images/" + photo + "/explanation?model=" + model);
            if (response.statusCode() == 200) {
                return response.jsonPath();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("photo " + photo + " was not explained by " + model);
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
