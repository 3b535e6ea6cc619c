package org.sagstudy.images;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.sagstudy.explanations.Photos;

/**
 * What other packages read of the {@code image} table, which this package owns: photos' bytes and facts for the
 * packages below (through {@link Photos}) and above. Uploads and the library's pages write it through
 * {@link ImageLibrary}.
 */
@ApplicationScoped
public class ImageStore implements Photos {

    private final DataSource dataSource;

    public ImageStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<byte[]> bytes(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("SELECT bytes FROM image WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getBytes("bytes")) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read image " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<Long, PhotoFacts> facts(Collection<Long> ids) {
        Map<Long, PhotoFacts> facts = new HashMap<>();
        if (ids.isEmpty()) {
            return facts;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT id, file_name, sha256, true_wnid, true_label FROM image WHERE id = ANY (?)")) {
            Array array = c.createArrayOf("bigint", ids.toArray(Long[]::new));
            query.setArray(1, array);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    facts.put(row.getLong("id"), new PhotoFacts(row.getLong("id"), row.getString("file_name"),
                            row.getString("sha256"), row.getString("true_wnid"), row.getString("true_label")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read images: " + e.getMessage(), e);
        }
        return facts;
    }

    /** The photo stored with these bytes (photos are stored once per SHA-256). */
    @Transactional
    public Optional<Long> idBySha256(String sha256) {
        return ImageEntity.findBySha256(sha256).map(image -> image.id);
    }

    @Transactional
    public long count() {
        return ImageEntity.count();
    }
}
