package org.sagstudy.testing;

import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.TorchScriptClassifier;

/** One shared instance of the real MobileNetV2 per test JVM: loading it is the slow part. */
public final class RealModel {

    private static TorchScriptClassifier classifier;

    private RealModel() {
    }

    public static synchronized TorchScriptClassifier classifier() {
        if (classifier == null) {
            try {
                classifier = TorchScriptClassifier.open(ModelFolder.open(SharedData.model()), "cpu", 0);
            } catch (ModelFolder.InvalidModelException e) {
                throw new IllegalStateException(e);
            }
        }
        return classifier;
    }
}
