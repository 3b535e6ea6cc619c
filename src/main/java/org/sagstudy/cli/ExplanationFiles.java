package org.sagstudy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sagstudy.explain.Explanation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.Sag;
import org.sagstudy.explain.draw.Drawing;
import org.sagstudy.explain.draw.SagSvg;

/** Writes the pictures of one explanation into a folder: original, roots, heat-map overlays, the SAG (SVG, DOT). */
public final class ExplanationFiles {

    private ExplanationFiles() {
    }

    public static void write(Path folder, ImageTensor image, PatchGrid grid, Explanation explanation, String title)
            throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("original.png"), Drawing.png(image.toRgb()));
        Path roots = folder.resolve("roots");
        Files.createDirectories(roots);
        for (int i = 0; i < explanation.roots().size(); i++) {
            Files.write(roots.resolve(String.format("root-%02d.png", i + 1)),
                    Drawing.png(Drawing.patchImage(image, grid, explanation.roots().get(i).patches())));
        }
        if (explanation.gradCam() != null) {
            Files.write(folder.resolve("gradcam.png"), Drawing.png(Drawing.overlay(image, explanation.gradCam().toImage(image.width()))));
        }
        if (explanation.igosHeatMap() != null) {
            Files.write(folder.resolve("igos.png"), Drawing.png(Drawing.overlay(image, explanation.igosHeatMap().toImage(image.width()))));
        }
        Sag sag = explanation.sag();
        Files.writeString(folder.resolve("sag.svg"), SagSvg.draw(sag, image, grid, title), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("sag.dot"), sag.toDot(), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("dnf.txt"), sag.dnf() + "\n", StandardCharsets.UTF_8);
    }
}
