package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.sagstudy.explain.PatchSet;

/**
 * A stored question with its answer key, in its canonical placement (a participant may see it mirrored). Server side
 * only: neither the key nor a confidence reaches a participant before the answer.
 *
 * @param questionKind what the question asks (whether its options are nodes of the SAG shown)
 * @param leftInSag whether the left option is a node of the SAG shown for this photo
 * @param label the model's class for the photo
 */
public record StudyItem(long id, ItemKind kind, QuestionKind questionKind, long imageId, long explanationId,
        @JsonIgnore PatchSet left, @JsonIgnore PatchSet right, double leftConfidence, double rightConfidence, Side correctSide, boolean leftInSag,
        boolean rightInSag, String label) {

    @JsonProperty
    public List<Integer> leftPatches() {
        return left.toList();
    }

    @JsonProperty
    public List<Integer> rightPatches() {
        return right.toList();
    }

    public PatchSet patches(Side side) {
        return side == Side.LEFT ? left : right;
    }

    public double confidence(Side side) {
        return side == Side.LEFT ? leftConfidence : rightConfidence;
    }

    public double gap() {
        return Math.abs(leftConfidence - rightConfidence);
    }

    /** The class name participants read: the first of ImageNet's synonyms ("racer, race car" gives "racer"). */
    public String shortLabel() {
        int comma = label.indexOf(',');
        return comma < 0 ? label : label.substring(0, comma);
    }
}
