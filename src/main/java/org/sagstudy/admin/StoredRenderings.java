package org.sagstudy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.sagstudy.explain.HeatMap;
import org.sagstudy.explain.ImageDecoder;
import org.sagstudy.explain.ImagePreparation;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.PatchSet;
import org.sagstudy.explain.Sag;
import org.sagstudy.explain.draw.Drawing;
import org.sagstudy.explain.draw.SagSvg;
import org.sagstudy.images.ImageEntity;
import org.sagstudy.jobs.ExplanationEntity;
import org.sagstudy.output.ExplanationJson;

/**
 * Pictures drawn from stored data: the photo as the model saw it, node images, heat-map overlays, the SAG as SVG and
 * DOT. Prepared photos are kept in a small cache; everything can be drawn again from the database.
 */
@ApplicationScoped
public class StoredRenderings {

    private static final int CACHED_IMAGES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PatchGrid grid = PatchGrid.paper();
    private final BoundedCache<Long, ImageTensor> prepared = new BoundedCache<>(CACHED_IMAGES);

    @Transactional
    public Optional<ImageTensor> image(long id) {
        return Optional.ofNullable(prepared.get(id, () -> prepare(id)));
    }

    /** The stored photo as the model sees it; null when there is no such image. */
    private ImageTensor prepare(long id) {
        ImageEntity entity = ImageEntity.findById(id);
        if (entity == null) {
            return null;
        }
        try {
            return ImagePreparation.resized(entity.bytes, ImageDecoder.withDefaultLimits(), grid.imageSize())
                    .toTensor();
        } catch (ImageDecoder.UnreadableImageException e) {
            throw new IllegalStateException("stored image " + id + " no longer decodes: " + e.getMessage(), e);
        }
    }

    /** The newest explanation of an image. */
    @Transactional
    public Optional<JsonNode> explanation(long imageId) {
        return ExplanationEntity.latestFor(imageId).map(StoredRenderings::parse);
    }

    @Transactional
    public Optional<JsonNode> explanationById(long explanationId) {
        return ExplanationEntity.<ExplanationEntity>findByIdOptional(explanationId).map(StoredRenderings::parse);
    }

    /** An explanation's stored document. */
    public static JsonNode parse(ExplanationEntity explanation) {
        try {
            return JSON.readTree(explanation.document);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("explanation " + explanation.id + " is not JSON", e);
        }
    }

    public Optional<byte[]> original(long id) {
        return image(id).map(image -> Drawing.png(image.toRgb()));
    }

    public Optional<byte[]> patches(long id, PatchSet set) {
        return image(id).map(image -> Drawing.jpeg(Drawing.patchImage(image, grid, set)));
    }

    /** Empty when the image, its explanation or that heat map is missing. */
    public Optional<byte[]> overlay(long id, HeatMap.Kind kind) {
        return explanation(id).flatMap(document -> overlay(id, document, kind));
    }

    /** The heat map of {@code document} (an explanation of image {@code id}) over the photo. */
    public Optional<byte[]> overlay(long id, JsonNode document, HeatMap.Kind kind) {
        JsonNode map = document.get(kind == HeatMap.Kind.GRADCAM ? "gradcamMap" : "igosMap");
        if (map == null) {
            return Optional.empty();
        }
        HeatMap heat = ExplanationJson.readHeatMap(map, kind);
        return image(id).map(image -> Drawing.png(Drawing.overlay(image, heat.toImage(grid.imageSize()))));
    }

    public Optional<Sag> sag(long id) {
        return explanation(id).map(ExplanationJson::readSag);
    }

    public Optional<String> sagSvg(long id) {
        return explanation(id).flatMap(doc -> sagSvg(id, ExplanationJson.readSag(doc), doc.get("image").asText()
                + ": " + doc.at("/predicted/label").asText() + ", " + doc.get("dnf").asText()));
    }

    public Optional<String> sagSvg(long id, Sag sag, String title) {
        return image(id).map(image -> SagSvg.draw(sag, image, grid, title));
    }
}
