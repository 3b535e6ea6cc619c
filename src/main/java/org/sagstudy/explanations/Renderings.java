package org.sagstudy.explanations;

import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.sagstudy.explain.Baseline;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;
import org.sagstudy.explain.draw.Drawing;
import org.sagstudy.explain.draw.SagSvg;
import org.sagstudy.http.Picture;

/**
 * Pictures drawn from stored data: the photo as the model saw it, the photo showing only some patches, heat-map
 * overlays and SAG drawings. Everything can be drawn again from the database; the pictures that many requests ask
 * for (options of study questions, heat maps) are cached.
 */
@ApplicationScoped
public class Renderings {

    private final PreparedPhotos photos;
    private final Explanations explanations;

    public Renderings(PreparedPhotos photos, Explanations explanations) {
        this.photos = photos;
        this.explanations = explanations;
    }

    public Optional<Picture> original(long imageId) {
        return photos.photo(imageId).map(photo -> new Picture(Drawing.png(photo.toRgb()), "image/png"));
    }

    /** The photo showing only {@code patches} (a bit mask of the grid's patches). */
    @CacheResult(cacheName = "viewer-pictures")
    public Optional<Picture> patches(long imageId, long patches) {
        return photos.photo(imageId).map(photo -> new Picture(Drawing.jpeg(Drawing.patchImage(photo, photos.grid(),
                new PatchSet(patches))), "image/jpeg"));
    }

    /**
     * The photo showing only {@code patches} exactly as the model saw it (hidden parts are the explanation's
     * baseline), lossless, so the picture's pixels are the model's input.
     */
    @CacheResult(cacheName = "option-pictures")
    public Optional<Picture> asModelSaw(long imageId, long explanationId, long patches) {
        Baseline baseline = explanations.byId(explanationId).map(e -> Baseline.parse(e.parameters().baseline()))
                .orElse(Baseline.BLACK);
        return photos.photo(imageId).map(photo -> new Picture(Drawing.png(Drawing.modelInput(photo,
                baseline.imageFor(photo), photos.grid(), new PatchSet(patches))), "image/png"));
    }

    /** The photo showing only {@code patches}, the rest at 10% brightness as the paper's figures draw nodes. */
    @CacheResult(cacheName = "dimmed-pictures")
    public Optional<Picture> dimmed(long imageId, long patches) {
        return photos.photo(imageId).map(photo -> new Picture(Drawing.png(Drawing.patchImage(photo, photos.grid(),
                new PatchSet(patches))), "image/png"));
    }

    /** The heat map of an explanation over its photo; empty when the photo, explanation or heat map is missing. */
    @CacheResult(cacheName = "heat-map-pictures")
    public Optional<Picture> overlay(long imageId, long explanationId, HeatMap.Kind kind) {
        return explanations.byId(explanationId).flatMap(explanation -> explanation.heatMap(kind))
                .flatMap(heat -> photos.photo(imageId).map(photo -> new Picture(Drawing.png(Drawing.overlay(photo,
                        heat.toImage(photos.grid().imageSize()))), "image/png")));
    }

    /** A SAG drawn over the photo's patches with the paper's conventions (node pictures dimmed). */
    public Optional<Picture> sag(long imageId, Sag sag, String title) {
        return photos.photo(imageId).map(photo -> new Picture(SagSvg.draw(sag, photo, photos.grid(), title)
                .getBytes(StandardCharsets.UTF_8), "image/svg+xml"));
    }

    /** A SAG whose node pictures show hidden parts as the model saw them (the explanation's baseline). */
    public Optional<Picture> sagAsModelSaw(long imageId, long explanationId, Sag sag, String title) {
        Baseline baseline = explanations.byId(explanationId).map(e -> Baseline.parse(e.parameters().baseline()))
                .orElse(Baseline.BLACK);
        return photos.photo(imageId).map(photo -> new Picture(SagSvg.draw(sag, photo, photos.grid(), title,
                baseline.imageFor(photo)).getBytes(StandardCharsets.UTF_8), "image/svg+xml"));
    }
}
