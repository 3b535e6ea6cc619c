package org.sagstudy.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.sagstudy.jobs.JobEntity;
import org.sagstudy.jobs.JobParameters;
import org.sagstudy.jobs.JobQueue;
import org.sagstudy.jobs.WorkerConfig;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;

/** Stores checked images (once per content hash) and queues their explanation with the configured model. */
@ApplicationScoped
public class ImageLibrary {

    /** An image as stored, with the job that explains it (new, or the one it already had). */
    public record Stored(ImageEntity image, JobEntity job, boolean alreadyKnown) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobQueue queue;
    private final ModelRegistry models;
    private final WorkerConfig workers;

    public ImageLibrary(JobQueue queue, ModelRegistry models, WorkerConfig workers) {
        this.queue = queue;
        this.models = models;
        this.workers = workers;
    }

    @Transactional
    public Stored store(UploadCheck.Accepted file) throws ModelFolder.InvalidModelException {
        String modelSha256 = models.folder().sha256();
        String sha256 = sha256(file.bytes());
        // concurrent uploads of the same bytes wait here instead of racing on the unique hash
        ImageEntity.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, sha256).getSingleResult();
        ImageEntity existing = ImageEntity.findBySha256(sha256).orElse(null);
        if (existing != null) {
            JobEntity job = JobEntity.<JobEntity>find("imageId = ?1 and modelSha256 = ?2 order by id desc",
                    existing.id, modelSha256).firstResultOptional().orElse(null);
            if (job != null) {
                return new Stored(existing, job, true);
            }
            return new Stored(existing, enqueue(existing, modelSha256), true);
        }
        ImageEntity image = new ImageEntity();
        image.sha256 = sha256;
        image.fileName = file.fileName();
        image.contentType = file.contentType();
        image.width = file.width();
        image.height = file.height();
        image.sizeBytes = file.bytes().length;
        image.bytes = file.bytes();
        image.persist();
        return new Stored(image, enqueue(image, modelSha256), false);
    }

    @Transactional
    public long count() {
        return ImageEntity.count();
    }

    private JobEntity enqueue(ImageEntity image, String modelSha256) {
        try {
            return queue.enqueue(image.id, modelSha256, JSON.writeValueAsString(JobParameters.defaults()),
                    workers.maxAttempts());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
