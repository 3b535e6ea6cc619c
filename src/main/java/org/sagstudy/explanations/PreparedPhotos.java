package org.sagstudy.explanations;

import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.PatchGrid;

/**
 * Stored photos as the model sees them (decoded and resized), kept in a small cache because every picture of an
 * explanation starts from one. The photo's bytes come from {@link Photos}.
 */
@ApplicationScoped
public class PreparedPhotos {

    private final Photos photos;
    private final PatchGrid grid = PatchGrid.paper();

    public PreparedPhotos(Photos photos) {
        this.photos = photos;
    }

    public PatchGrid grid() {
        return grid;
    }

    /** Empty when there is no such image. */
    @CacheResult(cacheName = "prepared-photos")
    public Optional<ImageTensor> photo(long imageId) {
        byte[] bytes = photos.bytes(imageId).orElse(null);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ImagePreparation.resized(bytes, ImageDecoder.withDefaultLimits(), grid.imageSize())
                    .toTensor());
        } catch (ImageDecoder.UnreadableImageException e) {
            throw new IllegalStateException("stored image " + imageId + " no longer decodes: " + e.getMessage(), e);
        }
    }
}
