package org.sagstudy.study;

import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explanations.Explanations;
import org.sagstudy.explanations.Renderings;
import org.sagstudy.http.Picture;
import org.sagstudy.problem.NotFound;

/**
 * The pictures of a study's questions, drawn from the explanation each item was built from: every participant of a
 * condition sees the same few pictures, so they are cached (the options' and heat maps' by {@link Renderings}, the
 * SAGs shown and their data here).
 */
@ApplicationScoped
public class StudyPictures {

    private final Renderings renderings;
    private final Explanations explanations;
    private final StudyMessages messages;

    public StudyPictures(Renderings renderings, Explanations explanations, StudyMessages messages) {
        this.renderings = renderings;
        this.explanations = explanations;
        this.messages = messages;
    }

    /**
     * The photo showing only the patches of the item's option on {@code side} (canonical placement): as the model saw
     * it, or dimmed, as the design says.
     */
    public Optional<Picture> option(StudyItem item, Side side, StudyDesign design) {
        return patches(item, item.patches(side), design);
    }

    public Optional<Picture> wholePhoto(StudyItem item, StudyDesign design) {
        return patches(item, PatchSet.all(49), design);
    }

    private Optional<Picture> patches(StudyItem item, PatchSet patches, StudyDesign design) {
        return design.rendering().equals("dimmed") ? renderings.dimmed(item.imageId(), patches.bits())
                : renderings.asModelSaw(item.imageId(), item.explanationId(), patches.bits());
    }

    /** What a participant in {@code condition} sees as the explanation; empty for the control condition. */
    public Optional<Picture> explanation(StudyItem item, Condition condition, StudyDesign design) {
        return switch (condition) {
            case GRADCAM, IGOS -> renderings.overlay(item.imageId(), item.explanationId(), condition.heatMapKind());
            case SAG -> sag(item.imageId(), item.explanationId(), design.sagStyle(), design.sagRoots(),
                    design.sagDepth(), design.sagChildren(), design.rendering(), item.shortLabel());
            case NONE -> Optional.empty();
        };
    }

    @CacheResult(cacheName = "sag-pictures")
    /** The SAG shown, its node pictures drawn as the options are (the design's rendering). */
    Optional<Picture> sag(long imageId, long explanationId, String style, int roots, int depth, int children,
            String rendering, String label) {
        return explanations.byId(explanationId)
                .flatMap(explanation -> ShownSag.of(explanation, style, roots, depth, children))
                .flatMap(shown -> rendering.equals("dimmed") ? renderings.sag(imageId, shown,
                        messages.sag_title(label)) : renderings.sagAsModelSaw(imageId, explanationId, shown,
                                messages.sag_title(label)));
    }

    /** A participant's browser may keep a picture for a day: it never changes. */
    static final String KEPT_BY_BROWSER = "private, max-age=86400";

    /** What the explanation shows, as data. */
    public SeenExplanation seen(StudyItem item, Condition condition, StudyDesign design) {
        return SeenExplanation.of(condition, design, explanations.byId(item.explanationId())
                .orElseThrow(() -> new NotFound("the explanation of this question is gone")));
    }
}
