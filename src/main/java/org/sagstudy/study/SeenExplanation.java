package org.sagstudy.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.explain.Sag;
import org.sagstudy.output.ExplanationJson;

/**
 * What a participant's explanation shows, as data (for simulated readers and scripts): the SAG's nodes with their
 * percentages of p_full, or the heat map averaged over the 7x7 patches, or nothing. The picture shows the same.
 */
public final class SeenExplanation {

    private SeenExplanation() {
    }

    public static Map<String, Object> of(Condition condition, StudyDesign design, JsonNode document) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("condition", condition.key());
        switch (condition) {
            case SAG -> {
                Sag shown = ShownSag.of(ExplanationJson.readSag(document), design.sagRoots(), design.sagDepth(),
                        design.sagChildren());
                List<Map<String, Object>> nodes = new ArrayList<>();
                for (Sag.Node node : shown.nodes()) {
                    nodes.add(Map.of("patches", node.patches().toList(), "percent",
                            Math.round(100 * node.relative()), "root", node.root()));
                }
                seen.put("nodes", nodes);
            }
            case GRADCAM, IGOS -> {
                List<Double> heat = new ArrayList<>();
                JsonNode pooled = document.get(condition == Condition.GRADCAM ? "gradcam7x7" : "igos7x7");
                if (pooled == null) {
                    throw StudyException.notFound("this explanation has no " + condition.title());
                }
                pooled.forEach(value -> heat.add(value.asDouble()));
                seen.put("heat7x7", heat);
            }
            case NONE -> {
                // the photo alone
            }
        }
        return seen;
    }
}
