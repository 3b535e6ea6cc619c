package org.sagstudy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.ImageBatch;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.Prediction;
import org.sagstudy.testing.SharedData;

/**
 * The bf16 and channels-last variants made by {@code scripts/models/variants.sh} from the shared MobileNetV2, run
 * through DJL's libtorch: each is told apart from fp32 by its hash and label, and keeps every photo's class with
 * probabilities close to fp32's.
 */
class ModelVariantsTest {

    private static final List<String> PHOTOS = List.of("n02391049_zebra.JPEG", "n01440764_tench.JPEG",
            "n03532672_hook.JPEG", "n03887697_paper_towel.JPEG");

    private static Path variants;
    private static ImageBatch photos;
    private static float[][] fp32;
    private static ModelFolder exported;

    @BeforeAll
    static void makeVariantsAndPredictInFp32() throws Exception {
        // a folder not named after the model: its NAME.pt is found as the one .pt that is neither a variant nor Grad-CAM
        variants = Path.of("target/model-variants").toAbsolutePath();
        Process process = new ProcessBuilder("bash", "scripts/models/variants.sh", SharedData.model().toString(),
                variants.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);

        ImageDecoder decoder = ImageDecoder.withDefaultLimits();
        List<ImageTensor> tensors = new ArrayList<>();
        for (String photo : PHOTOS) {
            tensors.add(ImagePreparation.resized(SharedData.image("imagenet-dev/" + photo), decoder, 224).toTensor());
        }
        photos = ImageBatch.of(tensors);
        exported = ModelRegistry.open(variants.toString(), "fp32", "contiguous");
        fp32 = predict(exported);
    }

    private static float[][] predict(ModelFolder folder) throws ModelFolder.InvalidModelException {
        return predict(folder, photos);
    }

    private static float[][] predict(ModelFolder folder, ImageBatch batch) throws ModelFolder.InvalidModelException {
        try (TorchScriptClassifier classifier = TorchScriptClassifier.open(folder, "cpu", 0)) {
            return classifier.probabilities(batch);
        }
    }

    private static double largestDifference(float[][] a, float[][] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                largest = Math.max(largest, Math.abs(a[i][c] - b[i][c]));
            }
        }
        return largest;
    }

    private static int top(float[] probabilities) {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return best;
    }

    @Test
    void theExportedModelIsTheSharedOneThroughTheLink() throws IOException {
        assertEquals("mobilenet_v2", exported.name());
        assertEquals(ModelFolder.sha256(SharedData.model().resolve("mobilenet_v2.pt")), exported.sha256());
        assertEquals("fp32", exported.variant().label());
    }

    @Test
    void bf16KeepsEveryClassAndStaysCloseToFp32() throws Exception {
        for (String memoryFormat : List.of("contiguous", "channels-last")) {
            ModelFolder folder = ModelRegistry.open(variants.toString(), "bf16", memoryFormat);
            assertEquals(memoryFormat.equals("contiguous") ? "bf16" : "bf16-channels-last", folder.variant().label());
            assertEquals(variants.resolve("mobilenet_v2" + folder.variant().fileSuffix() + ".pt"), folder.modelFile());
            assertNotEquals(exported.sha256(), folder.sha256());
            float[][] bf16 = predict(folder);
            for (int i = 0; i < PHOTOS.size(); i++) {
                assertEquals(top(fp32[i]), top(bf16[i]), PHOTOS.get(i) + " in bf16 " + memoryFormat);
            }
            double difference = largestDifference(fp32, bf16);
            // a file that is not rounded to bf16 at all, or not the same model, fails one bound or the other
            assertTrue(difference > 1e-6 && difference < 0.05, "bf16 " + memoryFormat + " differs by " + difference);
        }
    }

    @Test
    void theExplainedClassIsTheExactModelsEvenWhereBf16WouldPickAnother() throws Exception {
        // on this photo two snake classes are close: here bf16 rounding makes the bf16 copy pick the other one
        ImageTensor snake = ImagePreparation.resized(SharedData.image("imagenet-dev/n01740131_night_snake.JPEG"),
                ImageDecoder.withDefaultLimits(), 224).toTensor();
        ImageBatch one = ImageBatch.of(List.of(snake));
        int exact = top(predict(exported, one)[0]);
        try (TorchScriptClassifier bf16 = TorchScriptClassifier.open(
                ModelRegistry.open(variants.toString(), "bf16", "contiguous"), "cpu", 0)) {
            float[] rounded = bf16.probabilities(one)[0];
            Prediction prediction = Prediction.of(bf16, snake);
            assertEquals(exact, prediction.classIndex(), "bf16's own top class: " + top(rounded));
            assertEquals(rounded[exact], prediction.probability(), 1e-7, "p_full is the bf16 model's, as f(S) is");
        }
    }

    @Test
    void aFolderWithoutTheVariantSaysHowToMakeIt() {
        var missing = assertThrows(ModelFolder.InvalidModelException.class,
                () -> ModelRegistry.open(SharedData.model().toString(), "bf16", "channels-last"));
        assertTrue(missing.getMessage().contains("mobilenet_v2.bf16.channels-last.pt")
                && missing.getMessage().contains("scripts/models/variants.sh"), missing.getMessage());
        var unknown = assertThrows(ModelFolder.InvalidModelException.class,
                () -> ModelRegistry.open(variants.toString(), "int8", "contiguous"));
        assertEquals("precision must be fp32 or bf16, not 'int8'", unknown.getMessage());
        var inexact = assertThrows(ModelFolder.InvalidModelException.class,
                () -> ModelRegistry.open(variants.toString(), "fp32", "channels-last"));
        assertTrue(inexact.getMessage().startsWith("channels-last is offered with bf16 only"), inexact.getMessage());
    }
}
