package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.admin.BoundedCache;
import org.sagstudy.admin.StoredRenderings;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;
import org.sagstudy.output.ExplanationJson;

/**
 * The pictures of a study's questions, drawn from the explanation each item was built from and kept in memory: every
 * participant of a condition sees the same few pictures.
 */
@ApplicationScoped
public class StudyPictures {

    /** A drawn picture with its media type. */
    public record Picture(byte[] bytes, String type) {
    }

    private static final int CACHED = 1024;
    private final StoredRenderings renderings;
    private final BoundedCache<String, Optional<Picture>> pictures = new BoundedCache<>(CACHED);
    private final BoundedCache<String, Map<String, Object>> seen = new BoundedCache<>(CACHED);

    public StudyPictures(StoredRenderings renderings) {
        this.renderings = renderings;
    }

    /** The photo showing only {@code patches} (the rest dimmed, as the engine masks). */
    public Optional<Picture> patches(long imageId, PatchSet patches) {
        return pictures.get("patches:" + imageId + ":" + patches.bits(),
                () -> renderings.patches(imageId, patches).map(bytes -> new Picture(bytes, "image/jpeg")));
    }

    /** What a participant in {@code condition} sees as the explanation; empty for the control condition. */
    public Optional<Picture> explanation(StudyCatalog.Item item, Condition condition, StudyDesign design) {
        return switch (condition) {
            case GRADCAM, IGOS -> pictures.get("heat:" + item.explanationId() + ":" + condition.key(),
                    () -> renderings.explanationById(item.explanationId()).flatMap(document -> renderings.overlay(
                            item.imageId(), document, condition == Condition.GRADCAM ? HeatMap.Kind.GRADCAM
                                    : HeatMap.Kind.IGOS)).map(bytes -> new Picture(bytes, "image/png")));
            case SAG -> pictures.get("sag:" + item.explanationId() + ":" + design.sagRoots() + ":" + design.sagDepth() + ":"
                    + design.sagChildren(), () -> renderings.explanationById(item.explanationId()).flatMap(document -> {
                        Sag shown = ShownSag.of(ExplanationJson.readSag(document), design.sagRoots(),
                                design.sagDepth(), design.sagChildren());
                        return renderings.sagSvg(item.imageId(), shown, "The program sees a " + item.shortLabel());
                    }).map(svg -> new Picture(svg.getBytes(StandardCharsets.UTF_8), "image/svg+xml")));
            case NONE -> Optional.empty();
        };
    }

    /** What the explanation shows, as data; kept like the pictures. */
    public Map<String, Object> seen(StudyCatalog.Item item, Condition condition, StudyDesign design) {
        return seen.get(item.explanationId() + ":" + condition.key() + ":" + design.sagRoots() + ":"
                + design.sagDepth() + ":" + design.sagChildren(), () -> SeenExplanation.of(condition, design,
                        renderings.explanationById(item.explanationId()).orElseThrow()));
    }
}
