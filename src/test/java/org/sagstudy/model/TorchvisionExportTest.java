package org.sagstudy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sagstudy.explain.FeatureClassifier;
import org.sagstudy.explain.GradCam;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.testing.SharedData;

/**
 * {@code scripts/models/export-torchvision.py} turns a torchvision classifier (here MobileNetV2 with random weights:
 * nothing is downloaded) into a model folder the engine opens: the model check passes (frozen, so training-mode
 * gradients equal predictions), and Grad-CAM gets the last convolutional features of the second file.
 */
class TorchvisionExportTest {

    @Test
    void anExportedTorchvisionModelOpensAndGivesGradCamFeatures(@TempDir Path folder) throws Exception {
        Process process = new ProcessBuilder("/usr/bin/python3", "scripts/models/export-torchvision.py", "mobilenet_v2",
                SharedData.model().resolve("synset.txt").toString(), folder.toString(), "--random-weights")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("features (2, 1280, 7, 7)"), output);
        var difference = java.util.regex.Pattern.compile("differ by (\\S+)").matcher(output);
        assertTrue(difference.find() && Double.parseDouble(difference.group(1)) < 1e-5,
                "the split model computes the logits as the whole one: " + output);

        ModelFolder exported = ModelFolder.open(folder);
        assertEquals("mobilenet_v2", exported.name());
        assertEquals(folder.resolve("mobilenet_v2_gradcam.pt"), exported.gradCamFile());
        ImageTensor zebra = ImagePreparation.resized(SharedData.image("imagenet-dev/n02391049_zebra.JPEG"),
                ImageDecoder.withDefaultLimits(), 224).toTensor();
        try (TorchScriptClassifier classifier = TorchScriptClassifier.open(exported, "cpu", 0)) {
            assertEquals(1000, classifier.classCount());
            FeatureClassifier.ClassActivations activations = classifier.activations(zebra, 340);
            assertEquals(1280, activations.channels());
            assertEquals(7, activations.height());
            HeatMap map = GradCam.heatMap(activations);
            assertEquals(7, map.side());
        }
    }
}
