package org.sagstudy.explain;

/**
 * A heat map at the resolution it was computed at, and how it becomes an image-sized map: Grad-CAM at feature
 * resolution is resized with half-pixel centres (as cv2.resize), I-GOS importance is upsampled like a mask (bilinear,
 * align-corners). Both are scaled to [0,1] for drawing. Storing the small map is enough to redraw the big one.
 */
public record HeatMap(Kind kind, int side, float[] values) {

    public enum Kind { GRADCAM, IGOS }

    public HeatMap {
        if (values.length != side * side) {
            throw new IllegalArgumentException("heat map values do not match " + side + "x" + side);
        }
    }

    public float[] toImage(int size) {
        float[] big = switch (kind) {
            case GRADCAM -> HeatMaps.resize(values, side, size);
            case IGOS -> new PatchGrid(side, size).upsample(values);
        };
        return HeatMaps.normalize(big);
    }
}
