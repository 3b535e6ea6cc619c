package org.sagstudy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command line stopped with SIGTERM in the middle of an explanation, as a user's Ctrl-C, a service
 * manager or the end of a session stops it. libtorch's exit handlers used to free its kernels under the running pass:
 * SIGSEGV in oneDNN and a JVM crash report, in two of three such stops here. Stopped at three moments of the work
 * (loading, the search, the heat maps), it must end as a plain SIGTERM, with no crash report.
 */
class StoppingIT {

    @Test
    void sigtermDuringAnExplanationEndsWithoutACrash(@TempDir Path work) throws Exception {
        Path app = Path.of(System.getProperty("sag.app-dir", "target/quarkus-app")).toAbsolutePath();
        Path shared = Path.of(System.getProperty("sag.shared-dir", "../shared")).toAbsolutePath();
        for (int seconds : new int[] {4, 7, 10}) {
            Path log = work.resolve("explain-" + seconds + ".log");
            Process explain = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-jar", app.resolve("quarkus-run.jar").toString(), "explain",
                    "--device", "cpu", "--model",
                    shared.resolve("models/mobilenet_v2").toString(), "--out", work.resolve("out").toString(),
                    shared.resolve("data/images/imagenet-dev/n02391049_zebra.JPEG").toString(),
                    shared.resolve("data/images/imagenet-dev/n01980166_fiddler_crab.JPEG").toString(),
                    shared.resolve("data/images/imagenet-dev/n02088094_Afghan_hound.JPEG").toString())
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (explain.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("the explanation ended before it could be stopped:\n" + Files.readString(log));
            }
            explain.destroy();
            assertEquals(143, explain.waitFor(), "stopped by SIGTERM after " + seconds + " s:\n"
                    + Files.readString(log));
            String output = Files.readString(log);
            assertFalse(output.contains("A fatal error has been detected"), "after " + seconds + " s:\n" + output);
            try (var files = Files.list(work)) {
                assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("hs_err")).count(),
                        "a JVM crash report after " + seconds + " s");
            }
        }
    }
}
