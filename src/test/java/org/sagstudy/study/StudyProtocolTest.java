package org.sagstudy.study;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.StudyApi;

/** A study leaves as one protocol file and comes back as the identical study; another model's protocol is refused. */
@QuarkusTest
class StudyProtocolTest {

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    /** Each item as the participant would meet it: kind, photo, both options with their confidences, the answer. */
    private List<String> items(long study) throws Exception {
        List<String> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT i.kind, i.question_kind, img.sha256, i.left_patches, i.right_patches, i.left_confidence,
                       i.right_confidence, i.correct_side, i.left_in_sag, i.right_in_sag
                FROM study_item i JOIN image img ON img.id = i.image_id WHERE i.study_id = ? ORDER BY i.ordinal""")) {
            query.setLong(1, study);
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int column = 1; column <= 10; column++) {
                        cells.add(r.getString(column));
                    }
                    items.add(String.join("|", cells));
                }
            }
        }
        return items;
    }

    /** Every option picture of one participant's session, by the item's content (not its id). */
    private Map<String, byte[]> pictures(long study) throws Exception {
        String token = StudyApi.start(study, "{\"PROLIFIC_PID\": \"protocol" + study + "\"}").getString("token");
        Map<String, byte[]> pictures = new HashMap<>();
        for (JsonPath q = StudyApi.next(token); !q.getBoolean("done"); q = StudyApi.next(token)) {
            for (String side : List.of("left", "right")) {
                String option = q.getString("label") + " " + q.getList("options." + side + ".patches");
                pictures.put(option, given().get(q.getString("options." + side + ".image")).then().statusCode(200)
                        .extract().asByteArray());
            }
            StudyApi.answer(token, q.getLong("itemId"), "left");
        }
        return pictures;
    }

    @Test
    void anExportedStudyImportsAsTheSameStudy() throws Exception {
        long original = StudyApi.openStudy("\"gradcam\", \"sag\"");
        String protocol = ExplainedPhotos.admin().get("/api/studies/" + original + "/protocol").then()
                .statusCode(200).header("Content-Disposition", containsString("protocol.json")).extract().asString();

        long imported = ExplainedPhotos.admin().contentType(ContentType.JSON).body(protocol)
                .post("/api/studies/import").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(items(original), items(imported));
        assertTrue(items(original).size() >= 8);
        ExplainedPhotos.admin().contentType(ContentType.JSON).body("{\"name\": \"changed\", \"design\": {}}")
                .put("/api/studies/" + imported).then().statusCode(409).body("error", containsString("imported"));
        // opening never rebuilds an imported study's items
        ExplainedPhotos.admin().post("/api/studies/" + imported + "/open").then().statusCode(200);
        assertEquals(items(original), items(imported));

        Map<String, byte[]> before = pictures(original);
        Map<String, byte[]> after = pictures(imported);
        assertEquals(before.keySet(), after.keySet(), "the same options are asked");
        before.forEach((option, bytes) -> assertArrayEquals(bytes, after.get(option), option));
    }

    @Test
    void aProtocolOfAnotherModelOrOtherPhotosIsRefused() throws Exception {
        long study = StudyApi.openStudy("\"igos\", \"sag\"");
        String protocol = ExplainedPhotos.admin().get("/api/studies/" + study + "/protocol").then().statusCode(200)
                .extract().asString();

        ObjectNode otherModel = (ObjectNode) json.readTree(protocol);
        ((ObjectNode) otherModel.get("model")).put("sha256", "0".repeat(64));
        ExplainedPhotos.admin().contentType(ContentType.JSON).body(otherModel.toString()).post("/api/studies/import")
                .then().statusCode(409).body("error", containsString("model"));

        ObjectNode otherPhoto = (ObjectNode) json.readTree(protocol);
        ((ObjectNode) otherPhoto.get("photos").get(0)).put("sha256", "f".repeat(64));
        ExplainedPhotos.admin().contentType(ContentType.JSON).body(otherPhoto.toString()).post("/api/studies/import")
                .then().statusCode(409).body("error", containsString("upload these photos"));

        ObjectNode otherSettings = (ObjectNode) json.readTree(protocol);
        ((ObjectNode) otherSettings.get("photos").get(0).get("parameters")).put("beamWidth", 5);
        ExplainedPhotos.admin().contentType(ContentType.JSON).body(otherSettings.toString())
                .post("/api/studies/import").then().statusCode(409).body("error", containsString("other settings"));

        // the same protocol in another format: refused for its format alone
        ObjectNode otherFormat = (ObjectNode) json.readTree(protocol);
        otherFormat.put("format", "something else");
        ExplainedPhotos.admin().contentType(ContentType.JSON).body(otherFormat.toString()).post("/api/studies/import")
                .then().statusCode(400).body("error", containsString("not a study protocol"));
    }
}
