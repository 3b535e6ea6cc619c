package org.sagstudy.explanations;

import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.PatchGrid;

/**
 * Stored photos as the model sees them (decoded and resized), kept in a small cache because every picture of an
 * explanation starts from one. The photo's bytes are read by id from the image table that the images package owns.
 */
@ApplicationScoped
public class PreparedPhotos {

    private final DataSource dataSource;
    private final PatchGrid grid = PatchGrid.paper();

    public PreparedPhotos(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public PatchGrid grid() {
        return grid;
    }

    /** Empty when there is no such image. */
    @CacheResult(cacheName = "prepared-photos")
    public Optional<ImageTensor> photo(long imageId) {
        byte[] bytes = storedBytes(imageId);
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

    private byte[] storedBytes(long imageId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("SELECT bytes FROM image WHERE id = ?")) {
            query.setLong(1, imageId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read image " + imageId + ": " + e.getMessage(), e);
        }
    }
}
