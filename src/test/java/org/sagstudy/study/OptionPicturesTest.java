package org.sagstudy.study;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.EvaluationStats;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.MaskedConfidence;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.RgbImage;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.PreparedPhotos;
import org.sagstudy.model.ModelService;
import org.sagstudy.testing.StudyApi;

/**
 * A participant's option pictures are the model's input: every pixel equals the engine's masked image (rounded to 8
 * bits), and the confidence stored with the item is the real model's on that image, random options included.
 */
@QuarkusTest
class OptionPicturesTest {

    @Inject
    DataSource dataSource;
    @Inject
    PreparedPhotos photos;
    @Inject
    Explanations explanations;
    @Inject
    ModelService models;

    private record Item(long imageId, long explanationId, PatchSet left, PatchSet right, double leftConfidence,
            double rightConfidence, String questionKind) {
    }

    @Test
    void optionsShowWhatTheModelSawWithTheConfidenceItGave() throws Exception {
        long study = StudyApi.openStudy("\"sag\", \"gradcam\"");
        String token = StudyApi.start(study, "{\"PROLIFIC_PID\": \"pictures\"}").getString("token");
        Set<String> kindsSeen = new HashSet<>();
        int options = 0;
        for (JsonPath q = StudyApi.next(token); !q.getBoolean("done"); q = StudyApi.next(token)) {
            Item item = item(q.getLong("itemId"));
            kindsSeen.add(item.questionKind());
            MaskedConfidence model = modelOn(item);
            for (String side : List.of("left", "right")) {
                PatchSet shown = PatchSet.of(q.getList("options." + side + ".patches", Integer.class));
                assertTrue(shown.equals(item.left()) || shown.equals(item.right()), "an option is one of the item's");
                assertSamePixels(model.maskedImage(shown).toRgb(), png(q.getString("options." + side + ".image")));
                double stored = shown.equals(item.left()) ? item.leftConfidence() : item.rightConfidence();
                assertEquals(model.confidence(shown), stored, 1e-5, item.questionKind() + " option " + shown);
                options++;
            }
            StudyApi.answer(token, q.getLong("itemId"), "left");
        }
        assertTrue(options >= 8, "a session's questions were checked: " + options);
        assertTrue(kindsSeen.contains("neither-random"), "random options were among them: " + kindsSeen);
    }

    private MaskedConfidence modelOn(Item item) throws Exception {
        ImageTensor photo = photos.photo(item.imageId()).orElseThrow();
        Baseline baseline = Baseline.parse(explanations.byId(item.explanationId()).orElseThrow().parameters()
                .baseline());
        return new Explainer(models.classifier(models.configured().get(0).folder().orElseThrow().sha256()), ExplainParameters.PAPER.withBaseline(baseline))
                .confidenceFor(photo, new EvaluationStats());
    }

    private static RgbImage png(String url) throws Exception {
        byte[] bytes = given().get(url).then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        byte[] pixels = new byte[image.getWidth() * image.getHeight() * 3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int i = (y * image.getWidth() + x) * 3;
                pixels[i] = (byte) (rgb >> 16);
                pixels[i + 1] = (byte) (rgb >> 8);
                pixels[i + 2] = (byte) rgb;
            }
        }
        return new RgbImage(image.getWidth(), image.getHeight(), pixels);
    }

    private static void assertSamePixels(RgbImage expected, RgbImage actual) {
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        int differing = 0;
        for (int i = 0; i < expected.pixels().length; i++) {
            differing += expected.pixels()[i] == actual.pixels()[i] ? 0 : 1;
        }
        assertEquals(0, differing, "channel values that differ from the model's input");
    }

    private Item item(long id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT image_id, explanation_id, left_patches, right_patches, left_confidence, right_confidence,
                       question_kind FROM study_item WHERE id = ?""")) {
            query.setLong(1, id);
            try (ResultSet r = query.executeQuery()) {
                assertTrue(r.next());
                return new Item(r.getLong(1), r.getLong(2), new PatchSet(r.getLong(3)), new PatchSet(r.getLong(4)),
                        r.getDouble(5), r.getDouble(6), r.getString(7));
            }
        }
    }
}
