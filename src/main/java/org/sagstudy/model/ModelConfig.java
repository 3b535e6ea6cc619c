package org.sagstudy.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;

/** Which models the server uses, and where they run. */
@ConfigMapping(prefix = "sag.model")
public interface ModelConfig {

    /**
     * The models, comma-separated: TorchScript model folders (NAME.pt, optional NAME_gradcam.pt, synset.txt) or DJL zoo
     * names (zoo:...). The first is the default: uploads are explained by it and new studies use it.
     */
    @WithName("dir")
    @WithDefault("../shared/models/mobilenet_v2")
    List<String> dirs();

    /** auto (GPU when DJL sees one), cpu or gpu. */
    @WithDefault("auto")
    String device();

    /** Images per forward pass; 0 picks the device's default. */
    @WithDefault("0")
    int batchSize();

    /** fp32 or bf16: the number format of the search's forward passes ({@link ModelVariant}). */
    @WithDefault("fp32")
    String precision();

    /** contiguous or channels-last: the memory layout of the search's forward passes ({@link ModelVariant}). */
    @WithDefault("contiguous")
    String memoryFormat();
}
