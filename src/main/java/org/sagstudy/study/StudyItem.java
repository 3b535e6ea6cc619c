package org.sagstudy.study;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    /** The columns every reader of {@code study_item} selects, as {@link #read} reads them. */
    static final String COLUMNS = "id, kind, question_kind, image_id, explanation_id, left_patches, right_patches, "
            + "left_confidence, right_confidence, correct_side, left_in_sag, right_in_sag";

    /** An item from a row of {@code study_item} (columns by name; a prefix such as {@code "i."} is not needed). */
    static StudyItem read(ResultSet row, String label) throws SQLException {
        return new StudyItem(row.getLong("id"), ItemKind.byKey(row.getString("kind")),
                QuestionKind.byKey(row.getString("question_kind")).orElseThrow(), row.getLong("image_id"),
                row.getLong("explanation_id"), new PatchSet(row.getLong("left_patches")),
                new PatchSet(row.getLong("right_patches")), row.getDouble("left_confidence"),
                row.getDouble("right_confidence"), Side.byKey(row.getString("correct_side")).orElseThrow(),
                row.getBoolean("left_in_sag"), row.getBoolean("right_in_sag"), label);
    }

    StudyItem withLabel(String predicted) {
        return new StudyItem(id, kind, questionKind, imageId, explanationId, left, right, leftConfidence,
                rightConfidence, correctSide, leftInSag, rightInSag, predicted);
    }

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
