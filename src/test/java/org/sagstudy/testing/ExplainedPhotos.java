package org.sagstudy.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared photos uploaded to the running test server and explained by its worker (stored once per content). */
public final class ExplainedPhotos {

    private static final long TIMEOUT_MS = 900_000;

    private ExplainedPhotos() {
    }

    public static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-secret");
    }

    /** Uploads the photos (paths under shared/data/images) and waits until each has an explanation. */
    public static List<Long> upload(String... names) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (String name : names) {
            Path photo = SharedData.image(name);
            ids.add(((Number) admin().multiPart("file", photo.getFileName().toString(), Files.readAllBytes(photo),
                    "image/jpeg").when().post("/api/images").then().statusCode(201).extract()
                    .path("images[0].id")).longValue());
        }
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        for (long id : ids) {
            while (!"done".equals(admin().get("/api/images/" + id).then().extract().path("job.state"))) {
                if ("failed".equals(admin().get("/api/images/" + id).then().extract().path("job.state"))
                        || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("photo " + id + " was not explained");
                }
                Thread.sleep(300);
            }
        }
        return ids;
    }

    /** Two trial photos and one practice photo, all confidently classified. */
    public static List<Long> studyPhotos() throws Exception {
        return upload("imagenet-dev/n01980166_fiddler_crab.JPEG", "imagenet-dev/n02088094_Afghan_hound.JPEG",
                "imagenet-dev/n01601694_water_ouzel.JPEG");
    }
}
