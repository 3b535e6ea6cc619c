package org.sagstudy.images;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.BeamSearch;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.Sag;
import org.sagstudy.model.ModelService;
import org.sagstudy.testing.SharedData;

@QuarkusTest
class ImageApiTest {

    @Inject
    ModelService models;

    @Inject
    javax.sql.DataSource dataSource;

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-secret");
    }

    private static byte[] photo(String name) throws Exception {
        return Files.readAllBytes(SharedData.image(name));
    }

    @Inject
    ImageStore store;

    long images() {
        return store.count();
    }

    @Test
    void uploadedImageIsExplainedByAWorkerExactlyAsTheEngineDoes() throws Exception {
        byte[] zebra = photo("imagenet-dev/n02391049_zebra.JPEG");
        long id = ((Number) admin().multiPart("file", "n02391049_zebra.JPEG", zebra, "image/jpeg")
                .when().post("/api/images").then().statusCode(201).extract().path("images[0].id")).longValue();

        String state = "";
        long deadline = System.currentTimeMillis() + 900_000;
        while (!state.equals("done") && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            state = admin().get("/api/images/" + id).then().statusCode(200).extract().path("job.state");
            assertTrue(!state.equals("failed"), "job failed");
        }
        assertEquals("done", state);
        JsonNode stored = new ObjectMapper().readTree(admin().get("/api/images/" + id + "/explanation").then()
                .statusCode(200).extract().asString());

        Explainer explainer = new Explainer(models.classifier(models.configured().get(0).folder().orElseThrow().sha256()), ExplainParameters.PAPER.withHeatMaps(false));
        Explanation engine = explainer.explain(ImagePreparation.resized(zebra, ImageDecoder.withDefaultLimits(), 224)
                .toTensor(), null);
        assertEquals(engine.prediction().probability(), stored.get("pFull").asDouble(), 0.0);
        assertEquals(Arrays.toString(engine.ranking()), stored.get("igosRanking").toString().replace(",", ", "));
        assertEquals(engine.roots().size(), stored.get("roots").size());
        for (int i = 0; i < engine.roots().size(); i++) {
            BeamSearch.Root root = engine.roots().get(i);
            assertEquals(root.patches().toList().toString().replace(" ", ""), stored.get("roots").get(i)
                    .get("patches").toString());
            assertEquals(root.confidence(), stored.get("roots").get(i).get("confidence").asDouble(), 0.0);
        }
        List<Sag.Node> nodes = engine.sag().nodes();
        assertEquals(nodes.size(), stored.at("/sag/nodes").size());
        for (int i = 0; i < nodes.size(); i++) {
            assertEquals(nodes.get(i).relative(), stored.at("/sag/nodes").get(i).get("relative").asDouble(), 0.0);
        }
        assertEquals(49, stored.get("gradcam7x7").size(), "the worker computes the heat maps too");

        try (var c = dataSource.getConnection(); var q = c.prepareStatement("""
                SELECT count(*) FROM masked_confidence m JOIN explanation e ON e.id = m.explanation_id
                WHERE e.image_id = ?""")) {
            q.setLong(1, id);
            var rows = q.executeQuery();
            rows.next();
            assertTrue(rows.getLong(1) >= engine.evaluated().size(), "every evaluated mask is stored");
        }

        Map<String, Object> again = admin().multiPart("file", "copy.jpg", zebra, "image/jpeg").when()
                .post("/api/images").then().statusCode(201).extract().path("images[0]");
        assertEquals(id, ((Number) again.get("id")).longValue());
        assertEquals(true, again.get("alreadyKnown"));
    }

    @Test
    void badFilesAreRefusedWithAReasonAndNothingIsStored() throws Exception {
        long before = images();
        byte[] zebra = photo("imagenet-dev/n02391049_zebra.JPEG");
        admin().multiPart("file", "notes.jpg", "just text".getBytes(), "image/jpeg").post("/api/images").then()
                .statusCode(415).body("error", org.hamcrest.Matchers.containsString("not a supported image"));
        admin().multiPart("file", "empty.jpg", new byte[0], "image/jpeg").post("/api/images").then()
                .statusCode(400).body("error", org.hamcrest.Matchers.containsString("0 bytes"));
        admin().multiPart("file", "half.jpg", Arrays.copyOf(zebra, zebra.length / 2), "image/jpeg")
                .post("/api/images").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("truncated"));
        admin().multiPart("file", "big.jpg", new byte[2_500_000], "image/jpeg").post("/api/images").then()
                .statusCode(413);
        admin().multiPart("file", "bomb.png", bombPng(), "image/png").post("/api/images").then()
                .statusCode(400).body("error", org.hamcrest.Matchers.containsString("too large: 30000x30000"));
        admin().multiPart("file", "../../etc/evil.jpg", zebra, "image/jpeg").post("/api/images").then()
                .statusCode(400).body("error", org.hamcrest.Matchers.containsString("path traversal"));
        admin().post("/api/images").then().statusCode(400);
        assertEquals(before, images());
    }

    @Test
    void aZipKeepsItsGoodPhotosAndListsTheBadOnes() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("photos/tench.JPEG"));
            out.write(photo("imagenet-dev/n01440764_tench.JPEG"));
            out.putNextEntry(new ZipEntry("photos/readme.txt"));
            out.write("not a photo".getBytes());
            out.putNextEntry(new ZipEntry("../escape.jpg"));
            out.write(photo("imagenet-dev/n01440764_tench.JPEG"));
        }
        var response = admin().multiPart("file", "batch.zip", zip.toByteArray(), "application/zip")
                .post("/api/images").then().statusCode(201).extract();
        assertEquals(List.of("tench.JPEG"), response.path("images.fileName"));
        assertEquals(List.of("readme.txt", "../escape.jpg"), response.path("rejected.fileName"));
        long id = ((Number) response.path("images[0].id")).longValue();
        admin().delete("/api/images/" + id).then().statusCode(204);
        admin().get("/api/images/" + id).then().statusCode(404);
    }

    @Test
    void aZipOverALimitStoresNothing() throws Exception {
        long before = images();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("ouzel.JPEG"));
            out.write(photo("imagenet-dev/n01601694_water_ouzel.JPEG"));
            out.putNextEntry(new ZipEntry("huge.bin"));
            out.write(new byte[3_000_000]); // compresses to almost nothing: a small zip bomb
        }
        admin().multiPart("file", "bomb.zip", zip.toByteArray(), "application/zip").post("/api/images").then()
                .statusCode(413).body("rejected[0].error", org.hamcrest.Matchers.containsString("nothing from it"));
        assertEquals(before, images());
    }

    @Test
    void theSamePhotoUploadedTwiceAtOnceIsStoredOnce() throws Exception {
        byte[] chameleon = photo("imagenet-dev/n01682714_American_chameleon.JPEG");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Object>> uploads = pool.invokeAll(List.of(
                    () -> admin().multiPart("file", "a.jpg", chameleon, "image/jpeg").post("/api/images").then()
                            .statusCode(201).extract().path("images[0].id"),
                    () -> admin().multiPart("file", "b.jpg", chameleon, "image/jpeg").post("/api/images").then()
                            .statusCode(201).extract().path("images[0].id")));
            assertEquals(uploads.get(0).get(), uploads.get(1).get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theApiRefusesStrangers() {
        given().get("/api/images").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").get("/api/jobs").then().statusCode(401);
        given().multiPart("file", "x.jpg", new byte[10]).post("/api/images").then().statusCode(401);
        admin().get("/api/jobs").then().statusCode(200);
        admin().get("/api/images/999999").then().statusCode(404);
    }

    private static byte[] bombPng() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, 1), "png", out);
        byte[] png = out.toByteArray();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(png);
        buffer.putInt(16, 30000).putInt(20, 30000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return png;
    }
}
