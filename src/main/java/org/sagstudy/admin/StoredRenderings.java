package org.sagstudy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<Long, ImageTensor> prepared = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ImageTensor> eldest) {
            return size() > CACHED_IMAGES;
        }
    };

    @Transactional
    public Optional<ImageTensor> image(long id) {
        synchronized (prepared) {
            ImageTensor cached = prepared.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        ImageEntity entity = ImageEntity.findById(id);
        if (entity == null) {
            return Optional.empty();
        }
        try {
            ImageTensor tensor = ImagePreparation.resized(entity.bytes, ImageDecoder.withDefaultLimits(),
                    grid.imageSize()).toTensor();
            synchronized (prepared) {
                prepared.put(id, tensor);
            }
            return Optional.of(tensor);
        } catch (ImageDecoder.UnreadableImageException e) {
            throw new IllegalStateException("stored image " + id + " no longer decodes: " + e.getMessage(), e);
        }
    }

    @Transactional
    public Optional<JsonNode> explanation(long imageId) {
        return ExplanationEntity.latestFor(imageId).map(e -> {
            try {
                return JSON.readTree(e.document);
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    public Optional<byte[]> original(long id) {
        return image(id).map(image -> Drawing.png(image.toRgb()));
    }

    public Optional<byte[]> patches(long id, PatchSet set) {
        return image(id).map(image -> Drawing.jpeg(Drawing.patchImage(image, grid, set)));
    }

    /** {@code kind} is {@code gradcam} or {@code igos}; empty when the image or that heat map is missing. */
    public Optional<byte[]> overlay(long id, HeatMap.Kind kind) {
        Optional<ImageTensor> image = image(id);
        Optional<JsonNode> document = explanation(id);
        if (image.isEmpty() || document.isEmpty()) {
            return Optional.empty();
        }
        JsonNode map = document.get().get(kind == HeatMap.Kind.GRADCAM ? "gradcamMap" : "igosMap");
        if (map == null) {
            return Optional.empty();
        }
        HeatMap heat = ExplanationJson.readHeatMap(map, kind);
        return Optional.of(Drawing.png(Drawing.overlay(image.get(), heat.toImage(grid.imageSize()))));
    }

    public Optional<Sag> sag(long id) {
        return explanation(id).map(StoredRenderings::readSag);
    }

    public Optional<String> sagSvg(long id) {
        Optional<ImageTensor> image = image(id);
        Optional<JsonNode> document = explanation(id);
        if (image.isEmpty() || document.isEmpty()) {
            return Optional.empty();
        }
        JsonNode doc = document.get();
        String title = doc.get("image").asText() + ": " + doc.at("/predicted/label").asText() + ", " + doc.get("dnf")
                .asText();
        return Optional.of(SagSvg.draw(readSag(doc), image.get(), grid, title));
    }

    static Sag readSag(JsonNode document) {
        List<Sag.Node> nodes = new ArrayList<>();
        for (JsonNode node : document.at("/sag/nodes")) {
            nodes.add(new Sag.Node(node.get("id").asInt(), patchSet(node.get("patches")),
                    node.get("confidence").asDouble(), node.get("relative").asDouble(), node.get("root").asBoolean()));
        }
        List<Sag.Edge> edges = new ArrayList<>();
        for (JsonNode edge : document.at("/sag/edges")) {
            edges.add(new Sag.Edge(edge.get("parent").asInt(), edge.get("child").asInt(),
                    edge.get("removedPatch").asInt(), edge.get("drop").asDouble()));
        }
        List<PatchSet> roots = new ArrayList<>();
        document.get("sagRoots").forEach(root -> roots.add(patchSet(root)));
        return new Sag(nodes, edges, roots, document.at("/sag/truncated").asBoolean());
    }

    private static PatchSet patchSet(JsonNode patches) {
        List<Integer> list = new ArrayList<>();
        patches.forEach(p -> list.add(p.asInt()));
        return PatchSet.of(list);
    }
}
