package org.sagstudy.images;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.http.Page;
import org.sagstudy.jobs.JobParameters;
import org.sagstudy.jobs.JobQueue;
import org.sagstudy.jobs.JobStatus;
import org.sagstudy.jobs.JobView;
import org.sagstudy.jobs.JobViews;
import org.sagstudy.jobs.WorkerConfig;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.problem.Conflict;
import org.sagstudy.problem.Invalid;
import org.sagstudy.problem.NotFound;

/**
 * The image library: stores checked photos (once per content hash) and queues their explanation with the configured
 * model, lists them with their job and prediction, and deletes those nothing holds on to.
 */
@ApplicationScoped
public class ImageLibrary {

    /** An image as stored, with the job that explains it (new, or the one it already had). */
    public record Stored(long imageId, String fileName, String sha256, JobStatus job, boolean alreadyKnown) {
    }

    private final UploadCheck check;
    private final JobQueue queue;
    private final JobViews jobs;
    private final Explanations explanations;
    private final ModelRegistry models;
    private final WorkerConfig workers;
    private final Instance<ImageUsage> usages;
    private final ImageStore images;

    public ImageLibrary(UploadCheck check, JobQueue queue, JobViews jobs, Explanations explanations,
            ModelRegistry models, WorkerConfig workers, Instance<ImageUsage> usages, ImageStore images) {
        this.images = images;
        this.check = check;
        this.queue = queue;
        this.jobs = jobs;
        this.explanations = explanations;
        this.models = models;
        this.workers = workers;
        this.usages = usages;
    }

    /**
     * Stores every photo that passes the checks, as soon as it passes (a zip's photos are never all in memory), and
     * queues its explanation. A zip that breaks a limit stores nothing: its photos are stored in one transaction per
     * uploaded file, undone when the zip is refused. When nothing is stored, the report carries the most fitting 4xx.
     */
    public UploadReport upload(List<UploadedFile> files, String trueClass) throws ModelFolder.InvalidModelException {
        if (files == null || files.isEmpty()) {
            throw new Invalid("no file: send one or more multipart parts named 'file'");
        }
        Optional<Integer> givenClass = classOf(trueClass, models.folder()); // a missing model is 503 here
        UploadCheck.Budget budget = check.requestBudget();
        List<UploadReport.StoredFile> stored = new ArrayList<>();
        List<UploadCheck.Rejected> rejected = new ArrayList<>();
        for (UploadedFile file : files) {
            if (file.size() > check.maxUploadBytes(file.fileName())) {
                rejected.add(new UploadCheck.Rejected(file.fileName(), "file too large: " + file.size() + " bytes",
                        413));
                continue;
            }
            List<UploadReport.StoredFile> fromThisFile = new ArrayList<>();
            try {
                rejected.addAll(QuarkusTransaction.requiringNew().call(() -> {
                    try {
                        return check.check(file.fileName(), file.path(), budget, accepted -> {
                            Stored result = storeReleasing(accepted, givenClass);
                            fromThisFile.add(new UploadReport.StoredFile(result.imageId(), result.fileName(),
                                    result.sha256(), result.job().id(), result.alreadyKnown()));
                        });
                    } catch (UploadCheck.Refused refused) {
                        throw new RefusedUpload(refused);
                    } catch (IOException e) {
                        return List.of(new UploadCheck.Rejected(file.fileName(), "cannot read upload: "
                                + e.getMessage(), 400));
                    }
                }));
                stored.addAll(fromThisFile);
            } catch (RefusedUpload e) {
                rejected.add(e.refused.verdict());
            }
        }
        List<UploadReport.RejectedFile> problems = rejected.stream()
                .map(r -> new UploadReport.RejectedFile(r.fileName(), r.reason())).toList();
        if (stored.isEmpty()) {
            int status = rejected.stream().mapToInt(UploadCheck.Rejected::status).max().orElse(400);
            return new UploadReport(rejected.size() == 1 ? rejected.get(0).reason() : "no file was accepted", null,
                    problems, status);
        }
        return new UploadReport(null, stored, problems, 201);
    }

    /** Undoes the transaction of a refused zip. */
    private static final class RefusedUpload extends RuntimeException {

        private final transient UploadCheck.Refused refused;

        RefusedUpload(UploadCheck.Refused refused) {
            super(refused.getMessage(), null, false, false);
            this.refused = refused;
        }
    }

    private Stored storeReleasing(UploadCheck.Accepted file, Optional<Integer> trueClass) {
        try {
            return store(file, trueClass);
        } catch (ModelFolder.InvalidModelException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The class index of a wnid or label of the model; 400 when the model has no such class. */
    static Optional<Integer> classOf(String trueClass, ModelFolder model) {
        if (trueClass == null || trueClass.isBlank()) {
            return Optional.empty();
        }
        String wanted = trueClass.trim();
        for (int i = 0; i < model.wnids().size(); i++) {
            String label = model.labels().get(i);
            if (model.wnids().get(i).equals(wanted) || label.equalsIgnoreCase(wanted)
                    || label.split(",")[0].trim().equalsIgnoreCase(wanted)) {
                return Optional.of(i);
            }
        }
        throw new Invalid("the model has no class '" + wanted + "' (give a wnid such as n01440764 or a "
                + "label of its synset.txt)");
    }

    /** The class an ImageNet file name gives (n01440764 in n01440764_tench.JPEG), when the model has it. */
    static Optional<Integer> classFromFileName(String fileName, ModelFolder model) {
        Matcher wnid = WNID.matcher(fileName);
        return wnid.find() ? Optional.of(model.wnids().indexOf(wnid.group())).filter(i -> i >= 0) : Optional.empty();
    }

    private static final Pattern WNID = Pattern.compile("n\\d{8}");

    @Transactional
    public Stored store(UploadCheck.Accepted file) throws ModelFolder.InvalidModelException {
        return store(file, Optional.empty());
    }

    /** Stores a photo with its true class (given, or read from an ImageNet file name) and queues its explanation. */
    @Transactional
    public Stored store(UploadCheck.Accepted file, Optional<Integer> trueClass)
            throws ModelFolder.InvalidModelException {
        ModelFolder model = models.folder();
        String modelSha256 = model.sha256();
        String sha256 = sha256(file.bytes());
        images.lockHash(sha256);
        Optional<ImageStore.ImageRow> existing = images.bySha256(sha256);
        if (existing.isPresent()) {
            long id = existing.get().id();
            return new Stored(id, existing.get().fileName(), sha256, queue.latestExplanation(id, modelSha256)
                    .orElseGet(() -> enqueue(id, modelSha256)), true);
        }
        Optional<Integer> index = trueClass.or(() -> classFromFileName(file.fileName(), model));
        long id = images.insert(new ImageStore.NewImage(sha256, file.fileName(), file.contentType(), file.width(),
                file.height(), file.bytes(), index.map(model.wnids()::get).orElse(null),
                index.map(model.labels()::get).orElse(null)));
        return new Stored(id, file.fileName(), sha256, enqueue(id, modelSha256), false);
    }

    public long count() {
        return images.count();
    }

    /** A page of the library, oldest first or newest first. */
    public List<ImageView> list(Page page) {
        List<ImageStore.ImageRow> rows = images.page(page);
        List<Long> ids = rows.stream().map(ImageStore.ImageRow::id).toList();
        Map<Long, JobView> latestJobs = jobs.latestFor(ids);
        Map<Long, Explanations.Summary> summaries = explanations.summaries(ids);
        return rows.stream().map(image -> view(image, latestJobs.get(image.id()), summaries.get(image.id()))).toList();
    }

    public Optional<ImageView> find(long id) {
        return images.row(id).map(image -> view(image,
                jobs.latestFor(id).orElse(null), explanations.summaryFor(id, null).orElse(null)));
    }

    /** Deletes an image with its jobs and explanations; 409 while something above holds on to it. */
    @Transactional
    public void delete(long id) {
        for (ImageUsage usage : usages) {
            usage.reasonToKeep(id).ifPresent(reason -> {
                throw new Conflict("image " + id + " cannot be deleted: " + reason);
            });
        }
        if (!images.delete(id)) {
            throw new NotFound("no image " + id);
        }
    }

    private static ImageView view(ImageStore.ImageRow image, JobView job, Explanations.Summary summary) {
        return new ImageView(image.id(), image.fileName(), image.sha256(), image.width(), image.height(),
                image.sizeBytes(), job,
                summary == null ? null : new ImageView.Predicted(summary.predictedLabel(), summary.pFull()),
                image.trueWnid() == null ? null : new ImageView.TrueClass(image.trueWnid(), image.trueLabel()));
    }

    /** Sets or clears what a photo truly shows (a wnid or a label of the model). */
    @Transactional
    public ImageView setTrueClass(long id, String trueClass) throws ModelFolder.InvalidModelException {
        if (images.row(id).isEmpty()) {
            throw new NotFound("no image " + id);
        }
        ModelFolder model = models.folder();
        Optional<Integer> index = classOf(trueClass, model);
        images.setTrueClass(id, index.map(model.wnids()::get).orElse(null),
                index.map(model.labels()::get).orElse(null));
        return find(id).orElseThrow();
    }

    /** The hash of the configured model of this name; empty for no name; 404 for a name no model has. */
    public Optional<String> modelSha256(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(models.byName(name).orElseThrow(() -> new NotFound("no configured model named "
                + name + " (configured: " + models.describeAvailable() + ")")).sha256());
    }

    /**
     * Queues an explanation of a stored photo by a configured model, unless one is queued, running or done already
     * (that job is returned); the photo's other explanations stay.
     */
    @Transactional
    public JobView explainWith(long id, String modelName) {
        if (modelName == null || modelName.isBlank()) {
            throw new Invalid("name the model: ?model=NAME");
        }
        String modelSha256 = modelSha256(modelName).orElseThrow();
        if (images.row(id).isEmpty()) {
            throw new NotFound("no image " + id);
        }
        JobStatus job = queue.liveExplanation(id, modelSha256).orElseGet(() -> enqueue(id, modelSha256));
        return jobs.byId(job.id()).orElseThrow();
    }

    private JobStatus enqueue(long imageId, String modelSha256) {
        return queue.enqueue(imageId, modelSha256, JobParameters.defaults(), workers.maxAttempts());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
