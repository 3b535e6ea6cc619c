package org.sagstudy.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * The one place that picks where models run. A GPU is used when DJL's PyTorch engine reports one, which needs the
 * CUDA flavour of libtorch on the classpath instead of the CPU jar (see docs/OPERATIONS.md, "GPU").
 */
public final class DeviceChoice {

    static {
        // Before the first Engine call: no network probes, and no TorchScript profiling executor (seconds per call).
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.graph_optimizer",
                System.getProperty("ai.djl.pytorch.graph_optimizer", "false"));
    }

    private DeviceChoice() {
    }

    public static Device resolve(String name) {
        String choice = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        return switch (choice) {
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device 'gpu' asked for, but DJL sees no GPU (is the CUDA "
                            + "flavour of libtorch on the classpath?)");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + name + "' (auto, cpu or gpu)");
        };
    }

    /** Big batches pay on a GPU; on a CPU, 16 is near the best throughput and keeps memory small. */
    public static int defaultBatchSize(Device device) {
        return device.isGpu() ? 64 : 16;
    }
}
