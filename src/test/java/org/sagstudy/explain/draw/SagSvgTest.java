package org.sagstudy.explain.draw;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.RgbImage;
import org.sagstudy.explain.Sag;

/**
 * SAG node pictures are drawn as the study's options are: dimmed as in the paper's figures, or exactly as the model
 * saw them (the picture an option of the same patches shows), so that a node and an option never differ in look.
 */
class SagSvgTest {

    @Test
    void nodePicturesAreDimmedOrThePicturesTheModelSaw() {
        byte[] pixels = new byte[224 * 224 * 3];
        new Random(4).nextBytes(pixels);
        ImageTensor photo = new RgbImage(224, 224, pixels).toTensor();
        PatchGrid grid = PatchGrid.paper();
        PatchSet patches = PatchSet.of(0, 8, 9);
        Sag sag = new Sag(List.of(new Sag.Node(0, patches, 0.9, 0.9, true)), List.of(), List.of(patches), false);
        ImageTensor black = Baseline.BLACK.imageFor(photo);
        String asOption = Drawing.dataUri(Drawing.modelInput(photo, black, grid, patches));
        String dimmed = Drawing.dataUri(Drawing.patchImage(photo, grid, patches));

        String paper = SagSvg.draw(sag, photo, grid, "a node");
        assertTrue(paper.contains(dimmed));
        assertFalse(paper.contains(asOption));
        String model = SagSvg.draw(sag, photo, grid, "a node", black);
        assertTrue(model.contains(asOption), "the node shows what the option of its patches shows");
        assertFalse(model.contains(dimmed));
    }
}
