package org.sagstudy.images;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.database.AdvisoryLocks;
import org.sagstudy.explanations.Photos;
import org.sagstudy.http.Page;

/**
 * The store of the {@code image} table: photos' bytes and facts for the packages below (through {@link Photos}) and
 * above, and the rows {@link ImageLibrary} writes and lists.
 */
@ApplicationScoped
public class ImageStore implements Photos {

    /** A stored photo without its bytes. */
    record ImageRow(long id, String fileName, String sha256, int width, int height, long sizeBytes, String trueWnid,
            String trueLabel) {
    }

    /** A photo to store, with what it truly shows when known (both null otherwise). */
    record NewImage(String sha256, String fileName, String contentType, int width, int height, byte[] bytes,
            String trueWnid, String trueLabel) {
    }

    private static final String ROW = "id, file_name, sha256, width, height, size_bytes, true_wnid, true_label";

    private static final RowMapper<ImageRow> IMAGE_ROW = ConstructorMapper.of(ImageRow.class);
    private static final RowMapper<PhotoFacts> FACTS_ROW = ConstructorMapper.of(PhotoFacts.class);

    private final Jdbi jdbi;

    public ImageStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<byte[]> bytes(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT bytes FROM image WHERE id = :id").bind("id", id)
                .mapTo(byte[].class).findOne());
    }

    @Override
    public Map<Long, PhotoFacts> facts(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT id, file_name, sha256, true_wnid, true_label FROM image WHERE id = ANY (:ids)""")
                .bind("ids", ids.toArray(Long[]::new)).map(FACTS_ROW)
                .collectToMap(PhotoFacts::id, facts -> facts));
    }

    /** The photo stored with these bytes (photos are stored once per SHA-256). */
    public Optional<Long> idBySha256(String sha256) {
        return bySha256(sha256).map(ImageRow::id);
    }

    public long count() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM image").mapTo(Long.class).one());
    }

    Optional<ImageRow> bySha256(String sha256) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + ROW + " FROM image WHERE sha256 = :sha256")
                .bind("sha256", sha256).map(IMAGE_ROW).findOne());
    }

    Optional<ImageRow> row(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + ROW + " FROM image WHERE id = :id")
                .bind("id", id).map(IMAGE_ROW).findOne());
    }

    List<ImageRow> page(Page page) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + ROW + " FROM image ORDER BY id "
                + (page.newestFirst() ? "DESC" : "ASC") + " OFFSET :offset LIMIT :limit")
                .bind("offset", page.offset()).bind("limit", page.limit())
                .map(IMAGE_ROW).list());
    }

    /**
     * Holds, until the caller's transaction ends, a lock on these bytes' hash: concurrent uploads of the same bytes
     * wait for each other instead of racing on the unique hash.
     */
    void lockHash(String sha256) {
        AdvisoryLocks.holdUntilCommit(jdbi, sha256);
    }

    long insert(NewImage image) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                INSERT INTO image (sha256, file_name, content_type, width, height, size_bytes, bytes, true_wnid,
                                   true_label, created_at)
                VALUES (:sha256, :fileName, :contentType, :width, :height, :sizeBytes, :bytes, :trueWnid,
                        :trueLabel, now())
                RETURNING id""").bind("sha256", image.sha256()).bind("fileName", image.fileName())
                .bind("contentType", image.contentType()).bind("width", image.width()).bind("height", image.height())
                .bind("sizeBytes", image.bytes().length).bind("bytes", image.bytes()).bind("trueWnid", image.trueWnid())
                .bind("trueLabel", image.trueLabel()).mapTo(Long.class).one());
    }

    void setTrueClass(long id, String trueWnid, String trueLabel) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                UPDATE image SET true_wnid = :wnid, true_label = :label WHERE id = :id""")
                .bind("id", id).bind("wnid", trueWnid).bind("label", trueLabel).execute());
    }

    boolean delete(long id) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM image WHERE id = :id").bind("id", id)
                .execute()) == 1;
    }
}
