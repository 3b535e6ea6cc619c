package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.sagstudy.explain.Sag;
import org.sagstudy.explanations.StoredExplanation;
import org.sagstudy.problem.NotFound;

/**
 * What a participant's explanation shows, as data (for simulated readers and scripts): the SAG's nodes with their
 * percentages of p_full, or the heat map averaged over the 7x7 patches, or nothing. The picture shows the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeenExplanation(String condition, List<SeenNode> nodes, float[] heat7x7) {

    /** A node of the SAG shown: its patches, its confidence in percent of p_full, and whether it is a root. */
    public record SeenNode(List<Integer> patches, long percent, boolean root) {
    }

    public static SeenExplanation of(Condition condition, StudyDesign design, StoredExplanation explanation) {
        return switch (condition) {
            case SAG -> {
                Sag shown = ShownSag.of(explanation, design).orElseThrow(() -> new NotFound(
                        "this explanation has no paper SAG (explain the photo again)"));
                yield new SeenExplanation(condition.key(), shown.nodes().stream().map(node -> new SeenNode(
                        node.patches().toList(), Math.round(100 * node.relative()), node.root())).toList(), null);
            }
            case GRADCAM, IGOS -> new SeenExplanation(condition.key(), null, explanation
                    .pooledHeat(condition.heatMapKind())
                    .orElseThrow(() -> new NotFound("this explanation has no " + condition.title())));
            case NONE -> new SeenExplanation(condition.key(), null, null);
        };
    }
}
