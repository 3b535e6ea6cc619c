package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.Photos;
import org.sagstudy.explanations.StoredExplanation;
import org.sagstudy.images.ImageStore;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.ModelRegistry;
import org.sagstudy.problem.Conflict;
import org.sagstudy.problem.Invalid;

/**
 * A study as one file that travels between labs: the design, every item with its patch sets and confidences, the
 * photos by content hash, and the model by hash with the explanation parameters. Imported on another installation
 * with the same model and photos, it runs the identical study: its items are taken as they are, never rebuilt.
 */
@ApplicationScoped
public class StudyProtocols {

    public static final String FORMAT = "sag-study-protocol/1";

    /**
     * The protocol file. Photos are named by SHA-256; the design's photo lists are rebuilt from {@code photos}. The
     * item audit and the pre-registration (once the study opened) travel with it for readers; an import computes its
     * own from the items it stores.
     */
    public record Protocol(String format, String name, StudyDesign design, Model model, List<Photo> photos,
            List<Item> items, ItemAudit audit, Preregistrations.Registration preregistration) {
    }

    public record Model(String name, String sha256) {
    }

    /** {@code role}: trial or practice; {@code parameters}: the engine's settings of the photo's explanation. */
    public record Photo(String sha256, String fileName, String role, StoredExplanation.Parameters parameters) {
    }

    public record Item(ItemKind kind, QuestionKind questionKind, String photo, List<Integer> left, List<Integer> right,
            double leftConfidence, double rightConfidence, Side correctSide, boolean leftInSag, boolean rightInSag) {
    }

    private final StudyCatalog catalog;
    private final Explanations explanations;
    private final ModelRegistry models;
    private final StudyDesignJson designs;
    private final StudyItems studyItems;
    private final StudyStore studies;
    private final ItemAudits audits;
    private final Preregistrations preregistrations;
    private final ImageStore photos;

    public StudyProtocols(StudyCatalog catalog, Explanations explanations, ModelRegistry models,
            StudyDesignJson designs, StudyItems studyItems, StudyStore studies, ItemAudits audits,
            Preregistrations preregistrations, ImageStore photos) {
        this.audits = audits;
        this.photos = photos;
        this.preregistrations = preregistrations;
        this.catalog = catalog;
        this.explanations = explanations;
        this.models = models;
        this.designs = designs;
        this.studyItems = studyItems;
        this.studies = studies;
    }

    @Transactional
    public Protocol export(long studyId) {
        StudyCatalog.StudyInfo study = catalog.existing(studyId);
        List<StudyItem> items = List.copyOf(catalog.items(studyId).values());
        if (items.isEmpty()) {
            throw new Conflict("study " + studyId + " has no items yet: there is nothing to export");
        }
        Map<Long, String> sha = new HashMap<>();
        Map<Long, Long> explanationOfImage = new HashMap<>();
        items.forEach(item -> explanationOfImage.put(item.imageId(), item.explanationId()));
        List<Photo> exportedPhotos = new ArrayList<>();
        Model model = null;
        for (String role : List.of("trial", "practice")) {
            for (long imageId : role.equals("trial") ? study.design().imageIds() : study.design().practiceImageIds()) {
                Photos.PhotoFacts image = photos.facts(imageId).orElseThrow(
                        () -> new Conflict("photo " + imageId + " of the study is gone"));
                // the explanation the items were built from, whichever model made newer ones since
                StoredExplanation explanation = Optional.ofNullable(explanationOfImage.get(imageId))
                        .flatMap(explanations::byId).orElseThrow(
                                () -> new Conflict("photo " + imageId + " has no explanation in the study"));
                sha.put(imageId, image.sha256());
                exportedPhotos.add(new Photo(image.sha256(), image.fileName(), role, explanation.parameters()));
                model = new Model(explanation.model().name(), explanation.model().sha256());
            }
        }
        List<Item> exported = items.stream().map(i -> new Item(i.kind(), i.questionKind(), sha.get(i.imageId()),
                i.left().toList(), i.right().toList(), i.leftConfidence(), i.rightConfidence(), i.correctSide(),
                i.leftInSag(), i.rightInSag())).toList();
        StudyDesign design = study.design();
        return new Protocol(FORMAT, study.name(), withPhotos(design, List.of(), List.of()), model, exportedPhotos, exported,
                audits.of(studyId), study.state() == StudyState.DRAFT ? null : preregistrations.of(studyId));
    }

    /**
     * A draft with the protocol's design and items; refused (409, with the reason) when none of this installation's
     * models is the protocol's, or its photos are not here.
     */
    @Transactional
    public long importProtocol(Protocol protocol) {
        if (protocol == null || !FORMAT.equals(protocol.format()) || protocol.design() == null
                || protocol.photos() == null || protocol.items() == null || protocol.model() == null
                || protocol.model().sha256() == null) {
            throw new Invalid("not a study protocol (" + FORMAT + ")");
        }
        String localModel = models.bySha256(protocol.model().sha256()).map(ModelFolder::sha256).orElseThrow(
                () -> new Conflict("the protocol was made with the model " + protocol.model().name() + " ("
                        + protocol.model().sha256() + "), which is not among this installation's models ("
                        + models.describeAvailable() + "): the confidences would not hold"));
        Map<String, Long> imageIds = new HashMap<>();
        Map<String, Long> explanationIds = new HashMap<>();
        findLocalPhotos(protocol.photos(), localModel, imageIds, explanationIds);
        for (Item item : protocol.items()) {
            if (item == null || !imageIds.containsKey(item.photo())) {
                throw new Invalid("an item names a photo the protocol does not list: "
                        + (item == null ? null : item.photo()));
            }
        }
        List<Long> trials = protocol.photos().stream().filter(p -> p.role().equals("trial"))
                .map(p -> imageIds.get(p.sha256())).toList();
        List<Long> practice = protocol.photos().stream().filter(p -> p.role().equals("practice"))
                .map(p -> imageIds.get(p.sha256())).toList();
        long id = studies.insert(protocol.name() == null || protocol.name().isBlank() ? "Imported study"
                : protocol.name(), designs.write(withPhotos(protocol.design().normalized(), trials, practice)
                .withModel(protocol.model().name(), localModel)), true);
        insertItems(id, protocol.items(), imageIds, explanationIds);
        catalog.forget(id);
        return id;
    }

    /**
     * This installation's photo and explanation for each of the protocol's photos (by content and model), explained
     * with the protocol's settings; 409 naming what is missing or explained otherwise.
     */
    private void findLocalPhotos(List<Photo> protocolPhotos, String localModel, Map<String, Long> imageIds,
            Map<String, Long> explanationIds) {
        List<String> missing = new ArrayList<>();
        for (Photo photo : protocolPhotos) {
            Long imageId = photos.idBySha256(photo.sha256()).orElse(null);
            StoredExplanation explanation = imageId == null ? null
                    : explanations.latestFor(imageId, localModel).orElse(null);
            if (explanation == null) {
                missing.add(photo.fileName() + " (" + photo.sha256() + ")");
                continue;
            }
            if (!explanation.parameters().equals(photo.parameters())) {
                // the SAG and heat maps participants see come from this installation's explanation
                throw new Conflict("photo " + photo.fileName() + " is explained here with other settings "
                        + "than in the protocol (here " + explanation.parameters() + ", in the protocol "
                        + photo.parameters() + "): explain it again with the protocol's settings first");
            }
            imageIds.put(photo.sha256(), imageId);
            explanationIds.put(photo.sha256(), explanations.latestIdFor(imageId, localModel).orElseThrow());
        }
        if (!missing.isEmpty()) {
            throw new Conflict("upload these photos and let them be explained first (the protocol names them "
                    + "by content): " + String.join(", ", missing));
        }
    }

    private void insertItems(long studyId, List<Item> items, Map<String, Long> imageIds,
            Map<String, Long> explanationIds) {
        List<StudyItem> rows = items.stream().map(item -> new StudyItem(0, item.kind(), item.questionKind(),
                imageIds.get(item.photo()), explanationIds.get(item.photo()), PatchSet.of(item.left()),
                PatchSet.of(item.right()), item.leftConfidence(), item.rightConfidence(), item.correctSide(),
                item.leftInSag(), item.rightInSag(), null)).toList();
        studyItems.insert(studyId, rows);
    }

    private static StudyDesign withPhotos(StudyDesign d, List<Long> trials, List<Long> practice) {
        return d.withImages(trials, practice);
    }
}
