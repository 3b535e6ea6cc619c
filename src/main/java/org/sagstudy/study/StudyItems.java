package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.sagstudy.database.EnumSql;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.Photos;
import org.sagstudy.explanations.StoredExplanation;
import org.sagstudy.images.ImageStore;
import org.sagstudy.jobs.ConfidenceRequest;
import org.sagstudy.jobs.JobQueue;
import org.sagstudy.jobs.JobState;
import org.sagstudy.jobs.JobStatus;
import org.sagstudy.jobs.WorkerConfig;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.problem.Conflict;

/**
 * A study's stored items: built by {@link ItemBuilder} from the stored explanations of the design's photos, and
 * replaced (with the draft's preview sessions) whenever the design changes.
 */
@ApplicationScoped
public class StudyItems {

    /** How a draft's problem says the worker is still computing its random options' confidences. */
    static final String BEING_EVALUATED = "are being evaluated";

    private final Jdbi jdbi;
    private final Explanations explanations;
    private final JobQueue queue;
    private final WorkerConfig workers;
    private final StudyModels models;
    private final ImageStore photos;

    public StudyItems(Jdbi jdbi, Explanations explanations, JobQueue queue, WorkerConfig workers,
            StudyModels models, ImageStore photos) {
        this.models = models;
        this.photos = photos;
        this.jdbi = jdbi;
        this.explanations = explanations;
        this.queue = queue;
        this.workers = workers;
    }

    /**
     * Replaces the study's items (and its preview sessions) with those the design gives now, never the sessions of
     * participants (a study with any keeps its items); returns the problems that keep the design from opening (no
     * items are stored while there are any).
     */
    public List<String> rebuild(long studyId, StudyDesign design) {
        List<String> problems = new ArrayList<>(design.problems());
        if (design.imageIds() != null && design.imageIds().isEmpty()) {
            problems.add("choose at least one photo for the trials");
        }
        List<ItemBuilder.Item> items = List.of();
        Optional<String> model = models.of(design, problems).map(ModelFolder::sha256);
        if (problems.isEmpty()) {
            List<ItemBuilder.ExplainedImage> trial = explained(design.imageIds(), design, model.get(), problems);
            List<ItemBuilder.ExplainedImage> practice = explained(design.practiceImageIds(), design, model.get(),
                    problems);
            if (problems.isEmpty()) {
                ItemBuilder.Plan plan = new ItemBuilder(design).build(trial, practice);
                problems.addAll(plan.problems());
                items = plan.items();
                problems.addAll(audit(items, design).refusals());
            }
        }
        store(studyId, items);
        return problems;
    }

    private ItemAudit audit(List<ItemBuilder.Item> items, StudyDesign design) {
        Map<Long, StoredExplanation> loaded = new HashMap<>();
        return ItemAudit.of(items.stream().filter(item -> item.kind() == ItemKind.TRIAL).map(item -> ItemAudits
                .audited(item.questionKind(), item.left(), item.right(), item.correctSide(), item.leftInSag(),
                        item.rightInSag(), Math.abs(item.leftConfidence() - item.rightConfidence()),
                        loaded.computeIfAbsent(item.image().explanationId(), id -> explanations.byId(id)
                                .orElse(null)))).toList(), design.primaryKindList());
    }

    private void store(long studyId, List<ItemBuilder.Item> items) {
        jdbi.useHandle(handle -> {
            long sessions = handle.createQuery(EnumSql.with("""
                    SELECT count(*) FROM participant_session WHERE study_id = :studyId AND kind <> :preview""",
                    SessionKind.PREVIEW)).bind("studyId", studyId).mapTo(Long.class).one();
            if (sessions > 0) {
                throw new Conflict("study " + studyId + " has sessions of participants: its questions stay as they "
                        + "are");
            }
            handle.createUpdate(EnumSql.with("""
                    DELETE FROM participant_session WHERE study_id = :studyId AND kind = :preview""",
                    SessionKind.PREVIEW)).bind("studyId", studyId).execute();
            handle.createUpdate("DELETE FROM study_item WHERE study_id = :studyId").bind("studyId", studyId)
                    .execute();
        });
        insert(studyId, items.stream().map(item -> new StudyItem(0, item.kind(), item.questionKind(),
                item.image().imageId(), item.image().explanationId(), item.left(), item.right(),
                item.leftConfidence(), item.rightConfidence(), item.correctSide(), item.leftInSag(),
                item.rightInSag(), null)).toList());
    }

    /** Adds items to a study in the given order ({@code id} and {@code label} are not stored: the database has them). */
    void insert(long studyId, List<StudyItem> items) {
        if (items.isEmpty()) {
            return;
        }
        jdbi.useHandle(handle -> {
            var batch = handle.prepareBatch("""
                    INSERT INTO study_item (study_id, ordinal, kind, question_kind, image_id, explanation_id,
                        left_patches, right_patches, left_confidence, right_confidence, correct_side, left_in_sag,
                        right_in_sag)
                    VALUES (:studyId, :ordinal, :kind, :questionKind, :imageId, :explanationId, :left, :right,
                        :leftConfidence, :rightConfidence, :correctSide, :leftInSag, :rightInSag)""");
            int ordinal = 0;
            for (StudyItem item : items) {
                batch.bind("studyId", studyId).bind("ordinal", ordinal++).bind("kind", item.kind())
                        .bind("questionKind", item.questionKind()).bind("imageId", item.imageId())
                        .bind("explanationId", item.explanationId()).bind("left", item.left().bits())
                        .bind("right", item.right().bits()).bind("leftConfidence", item.leftConfidence())
                        .bind("rightConfidence", item.rightConfidence()).bind("correctSide", item.correctSide())
                        .bind("leftInSag", item.leftInSag()).bind("rightInSag", item.rightInSag()).add();
            }
            batch.execute();
        });
    }

    private List<ItemBuilder.ExplainedImage> explained(List<Long> imageIds, StudyDesign design, String modelSha256,
            List<String> problems) {
        boolean randomOptions = design.questionMix().containsKey(QuestionKind.ONE_IN_SAG)
                || design.questionMix().containsKey(QuestionKind.NEITHER_RANDOM);
        List<ItemBuilder.ExplainedImage> images = new ArrayList<>();
        for (long imageId : imageIds) {
            ItemBuilder.ExplainedImage image = explained(imageId, design, modelSha256, randomOptions, problems);
            if (image != null) {
                images.add(image);
            }
        }
        return images;
    }

    /** The photo with what its questions need, or null with the reason it cannot be used in {@code problems}. */
    private ItemBuilder.ExplainedImage explained(long imageId, StudyDesign design, String modelSha256,
            boolean randomOptions, List<String> problems) {
        Photos.PhotoFacts image = photos.facts(imageId).orElse(null);
        if (image == null) {
            problems.add("photo " + imageId + " does not exist");
            return null;
        }
        String photo = "photo " + imageId + " (" + image.fileName() + ")";
        long explanationId = explanations.latestIdFor(imageId, modelSha256).orElse(-1L);
        StoredExplanation explanation = explanations.byId(explanationId).orElse(null);
        if (explanation == null) {
            problems.add(photo + " has no explanation yet (by the study's model, " + design.model() + ")");
            return null;
        }
        String unusable = unusable(photo, image, explanation, design);
        if (unusable != null) {
            problems.add(unusable);
            return null;
        }
        Sag shown = ShownSag.of(explanation, design).orElse(null);
        if (shown == null) {
            problems.add(photo + " was explained before the paper's SAG was stored: explain it again, or show "
                    + "the DAG");
            return null;
        }
        Map<PatchSet, Double> known = explanations.knownConfidences(explanationId);
        explanation.toSag().nodes().forEach(node -> known.putIfAbsent(node.patches(), node.confidence()));
        known.put(PatchSet.all(49), explanation.pFull());
        List<PatchSet> random = randomOptions ? RandomOptions.draw(design.seed(), imageId, shown, 49) : List.of();
        List<PatchSet> missing = random.stream().filter(set -> !known.containsKey(set)).toList();
        if (!missing.isEmpty()) {
            problems.add(photo + ": " + evaluation(imageId, explanationId, explanation, missing));
            return null;
        }
        return new ItemBuilder.ExplainedImage(imageId, explanationId, explanation.pFull(), shown, known, random);
    }

    /** Why a photo's explanation cannot make questions under this design; null when it can. */
    private static String unusable(String photo, Photos.PhotoFacts image, StoredExplanation explanation,
            StudyDesign design) {
        if (explanation.pFull() < design.minPFull()) {
            return String.format(Locale.ROOT, "%s: the model's confidence %.2f is below the minimum %.2f", photo,
                    explanation.pFull(), design.minPFull());
        }
        if (image.trueWnid() != null && !image.trueWnid().equals(explanation.predicted().wnid())
                && !design.allowMisclassified()) {
            return photo + ": the model says " + explanation.predicted().label() + " but it shows "
                    + (image.trueLabel() == null ? image.trueWnid() : image.trueLabel())
                    + " (allow misclassified photos to use it)";
        }
        boolean heatMapMissing = design.conditionList().stream().filter(Condition::isHeatMap)
                .anyMatch(c -> explanation.heatMap(c.heatMapKind()).isEmpty());
        return heatMapMissing ? photo + " was explained without heat maps" : null;
    }

    /** Queues (once) the evaluation of a photo's random options by a worker, and says where it stands. */
    private String evaluation(long imageId, long explanationId, StoredExplanation explanation,
            List<PatchSet> missing) {
        JobStatus failed = queue.latestConfidences(explanationId).filter(j -> j.state() == JobState.FAILED)
                .orElse(null);
        if (failed != null) {
            return "the evaluation of its random options failed (" + failed.lastError() + "); retry job "
                    + failed.id() + " on the Jobs page";
        }
        JobStatus job = queue.enqueueConfidences(imageId, explanationId, explanation.model().sha256(),
                new ConfidenceRequest(explanation.parameters().baseline(),
                        missing.stream().map(PatchSet::bits).toList()),
                workers.maxAttempts());
        return missing.size() + " random options " + BEING_EVALUATED + " (job " + job.id() + ", " + job.state().key()
                + "); the study can open when it is done";
    }
}
