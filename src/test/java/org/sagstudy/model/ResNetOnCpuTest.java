package org.sagstudy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.explain.Explainer;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.Igos;
import org.sagstudy.explain.Minimality;
import org.sagstudy.explain.SearchMode;
import org.sagstudy.explain.SearchParameters;
import org.sagstudy.testing.SharedData;

/**
 * ResNets on DJL's CPU libtorch, which died (SIGFPE, the whole JVM) in the gradient of a strided 1x1 convolution. Both
 * exporters write those convolutions as subsampling + stride 1, and check in Python that outputs and gradients stay
 * equal (float64, exactly). Here the engine runs Grad-CAM, both I-GOS maps and the search end to end on the two kinds
 * of ResNet: torchvision's ResNet-50 (random weights) and a Keras-style ResNet (stride on the first 1x1 convolution)
 * converted by keras_resnet.py from a synthetic TF.js model, whose conversion the Python check compares with a direct
 * reading of the Keras graph. Nothing is downloaded.
 */
class ResNetOnCpuTest {

    /**
     * Every phase of an explanation, each cut short (a few levels of a narrow beam, a coarse displayed I-GOS map):
     * what is tested is that every kind of pass runs through these networks, not the explanation, and a ResNet-50
     * pass costs seconds here.
     */
    private static final ExplainParameters SHORT = new ExplainParameters(7,
            new SearchParameters(1, 3, 1, 0.9, 3, SearchMode.DEFAULT, Minimality.GREEDY), 1, 1, 0.4, 10,
            Baseline.BLACK, Igos.Settings.SEARCH, new Igos.Settings(7, 1, 4, 1.0, 20.0, 0.2, Igos.Noise.SPEC),
            Baseline.BLUR, true, 0L);

    @Test
    void aKerasResNetConvertsExactlyAndExplainsOnTheCpu(@TempDir Path work) throws Exception {
        String output = python(List.of("src/test/python/keras_resnet_check.py", work.resolve("work").toString(),
                work.resolve("model").toString()));
        assertFalse(output.contains("FAILED"), output);
        for (String check : List.of("converted logits equal the Keras graph's", "stride on the 3x3 changes",
                "epsilon left at Keras's changes", "Caffe mean not shifted changes", "a bias not folded changes",
                "rewrite keeps logits", "the exported file computes the Keras graph")) {
            assertTrue(output.contains("ok " + check), check + ":\n" + output);
        }
        explainsEndToEnd(work.resolve("model"), 10);
    }

    @Test
    void torchvisionResNet50ExplainsOnTheCpu(@TempDir Path folder) throws Exception {
        String output = python(List.of("scripts/models/export-torchvision.py", "resnet50",
                SharedData.model().resolve("synset.txt").toString(), folder.toString(), "--random-weights"));
        var rewrite = java.util.regex.Pattern.compile(
                "(\\d+) strided 1x1 convolutions written as subsampling \\+ stride 1: logits differ by (\\S+), "
                        + "input gradients by (\\S+)").matcher(output);
        assertTrue(rewrite.find(), output);
        assertEquals("3", rewrite.group(1), "torchvision's ResNet-50 downsamples with three strided 1x1 convolutions");
        assertTrue(Double.parseDouble(rewrite.group(2)) < 1e-10 && Double.parseDouble(rewrite.group(3)) < 1e-10,
                output);
        explainsEndToEnd(folder, 1000);
    }

    private static void explainsEndToEnd(Path folder, int classes) throws Exception {
        ImageTensor zebra = ImagePreparation.resized(SharedData.image("imagenet-dev/n02391049_zebra.JPEG"),
                ImageDecoder.withDefaultLimits(), 224).toTensor();
        try (TorchScriptClassifier classifier = TorchScriptClassifier.open(ModelFolder.open(folder), "cpu", 0)) {
            assertEquals(classes, classifier.classCount());
            Explanation explanation = new Explainer(classifier, SHORT).explain(zebra, null);
            assertNotNull(explanation.gradCam(), "Grad-CAM (a gradient through layer4)");
            assertNotNull(explanation.igosHeatMap(), "the displayed I-GOS map (gradients through the whole network)");
            assertEquals(49, explanation.ranking().length, "the search's I-GOS ranking");
            assertTrue(explanation.evaluated().size() > 1, "the search evaluated masked images");
            double p = explanation.prediction().probability();
            assertTrue(p > 0 && p <= 1, "a probability: " + p);
        }
    }

    private static String python(List<String> arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }
}
