package org.sagstudy.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which model the server uses, and where it runs. */
@ConfigMapping(prefix = "sag.model")
public interface ModelConfig {

    /** A TorchScript model folder (NAME.pt, optional NAME_gradcam.pt, synset.txt), or a DJL zoo name (zoo:...). */
    @WithDefault("../shared/models/mobilenet_v2")
    String dir();

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
