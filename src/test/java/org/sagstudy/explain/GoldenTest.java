package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.RealModel;
import org.sagstudy.testing.SharedData;

/** Preprocessing and masking against the reference pipeline's values in shared/data/golden. */
class GoldenTest {

    private final ImageDecoder decoder = ImageDecoder.withDefaultLimits();

    private static JsonNode records() throws Exception {
        return new ObjectMapper().readTree(Files.readString(SharedData.golden("golden.json"))).get("records");
    }

    @Test
    void resizedPixelsMatchTheReferencePipeline() throws Exception {
        for (JsonNode record : records()) {
            RgbImage ours = ImagePreparation.resized(SharedData.root().resolve("data")
                    .resolve(record.get("photo").asText()), decoder, 224);
            RgbImage golden = ImageDecoder.toRgb(ImageIO.read(SharedData.golden(record.get("resized_png").asText()).toFile()));
            int max = 0;
            long exact = 0;
            for (int i = 0; i < ours.pixels().length; i++) {
                int d = Math.abs((ours.pixels()[i] & 0xff) - (golden.pixels()[i] & 0xff));
                max = Math.max(max, d);
                exact += d == 0 ? 1 : 0;
            }
            System.out.printf("%s: max diff %d, exact %.4f%n", record.get("photo").asText(), max,
                    exact / (double) ours.pixels().length);
            assertTrue(max <= 1, record.get("photo") + ": max pixel difference " + max);
        }
    }

    @Test
    void maskedConfidencesMatchTheReferencePipeline() throws Exception {
        Classifier classifier = RealModel.classifier();
        for (JsonNode record : records()) {
            ImageTensor image = ImagePreparation.resized(SharedData.root().resolve("data")
                    .resolve(record.get("photo").asText()), decoder, 224).toTensor();
            Prediction prediction = Prediction.of(classifier, image);
            assertEquals(record.get("predicted_index").asInt(), prediction.classIndex());
            assertEquals(record.get("pFull").asDouble(), prediction.probability(), 1e-3);
            MaskedConfidence f = new MaskedConfidence(classifier, image, Baseline.BLACK.imageFor(image),
                    PatchGrid.paper(), prediction, new EvaluationStats());
            for (JsonNode masked : record.get("masked")) {
                List<Integer> patches = new ArrayList<>();
                masked.get("patches").forEach(p -> patches.add(p.asInt()));
                double ours = f.confidence(PatchSet.of(patches));
                System.out.printf("%s %s: %.6f vs %.6f%n", record.get("photo").asText(), patches, ours,
                        masked.get("confidence").asDouble());
                assertEquals(masked.get("confidence").asDouble(), ours, 5e-4, record.get("photo") + " " + patches);
            }
        }
    }
}
