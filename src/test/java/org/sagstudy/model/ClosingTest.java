package org.sagstudy.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.ImageBatch;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.testing.SharedData;

/**
 * A classifier closed while another thread runs passes on it, as a stopping process closes it: the pass in flight
 * finishes on models that are still there, and every later pass is refused in Java, before any native call. Without
 * that, the models were freed under the running pass and the JVM died in libtorch.
 */
class ClosingTest {

    @Test
    void closingWaitsForThePassInFlightAndRefusesLaterOnes() throws Exception {
        ImageTensor zebra = ImagePreparation.resized(SharedData.image("imagenet-dev/n02391049_zebra.JPEG"),
                ImageDecoder.withDefaultLimits(), 224).toTensor();
        ImageBatch single = ImageBatch.of(List.of(zebra));
        ImageBatch batch = ImageBatch.of(Collections.nCopies(32, zebra));
        TorchScriptClassifier classifier = TorchScriptClassifier.open(ModelFolder.open(SharedData.model()), "cpu", 0);
        float[] alone = classifier.probabilities(single)[0];

        List<Long> finishedAt = Collections.synchronizedList(new ArrayList<>());
        List<float[][]> finished = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch firstDone = new CountDownLatch(1);
        Thread passes = new Thread(() -> {
            try {
                while (true) {
                    finished.add(classifier.probabilities(batch));
                    finishedAt.add(System.nanoTime());
                    firstDone.countDown();
                }
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        passes.start();
        firstDone.await();
        // the thread has gone straight on to its next pass, which takes far longer than this gap
        long closing = System.nanoTime();
        classifier.close();
        passes.join(60_000);

        assertInstanceOf(ModelClosedException.class, ended.get(), String.valueOf(ended.get()));
        assertTrue(finishedAt.get(finishedAt.size() - 1) > closing,
                "the pass running when close() came finished before the models were freed");
        for (float[][] result : finished) {
            for (float[] image : result) {
                assertArrayEquals(alone, image, 1e-4f, "every finished pass computed on intact models");
            }
        }
        assertThrows(ModelClosedException.class, () -> classifier.probabilities(single));
        assertThrows(ModelClosedException.class, () -> classifier.probabilityGradients(single, 340));
        assertThrows(ModelClosedException.class, () -> classifier.activations(zebra, 340));
        classifier.close();
    }
}
