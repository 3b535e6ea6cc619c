package org.sagstudy.model;

import ai.djl.Application;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Models from DJL's PyTorch model zoo, named {@code zoo:ARTIFACT?filter=value&...}, e.g.
 * {@code zoo:resnet?layers=50&dataset=imagenet}. DJL downloads the model into its cache on first use, which needs
 * the internet and {@code -Dai.djl.offline=false}; afterwards the cached folder is an ordinary model folder. Zoo
 * models have no features output, so Grad-CAM needs a folder with {@code NAME_gradcam.pt} instead.
 */
public final class ZooModels {

    public static final String PREFIX = "zoo:";

    private ZooModels() {
    }

    public static boolean isZooName(String model) {
        return model.startsWith(PREFIX);
    }

    /** Downloads (or finds in DJL's cache) a zoo model and opens its folder. */
    public static ModelFolder open(String name) throws ModelFolder.InvalidModelException {
        String spec = name.substring(PREFIX.length());
        int query = spec.indexOf('?');
        Criteria.Builder<Image, Classifications> builder = Criteria.builder()
                .optApplication(Application.CV.IMAGE_CLASSIFICATION).setTypes(Image.class, Classifications.class)
                .optEngine("PyTorch").optGroupId("ai.djl.pytorch")
                .optArtifactId(query < 0 ? spec : spec.substring(0, query));
        if (query >= 0) {
            for (String pair : spec.substring(query + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2) {
                    builder.optFilter(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                            URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
        }
        Path directory;
        try (ZooModel<Image, Classifications> model = builder.build().loadModel()) {
            directory = model.getModelPath();
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new ModelFolder.InvalidModelException("cannot get " + name + " from DJL's model zoo (needs the "
                    + "internet and -Dai.djl.offline=false the first time): " + root.getClass().getSimpleName() + ": "
                    + root.getMessage());
        }
        return ModelFolder.open(directory);
    }
}
