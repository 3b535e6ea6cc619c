package org.sagstudy.results;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.sagstudy.results.Csv.Column;
import org.sagstudy.study.AnswerRow;
import org.sagstudy.study.ItemAudit;
import org.sagstudy.study.ItemKind;
import org.sagstudy.study.ParticipantSummary;
import org.sagstudy.study.StudyItem;
import org.sagstudy.study.StudyRecords;

/** The columns of answers.csv, participants.csv and items.csv; the codebook is written from these. */
public final class ExportColumns {

    /** An answer with its participant's exclusion. */
    public record Answer(AnswerRow row, String externalId, String exclusion, boolean primary, String rules) {
    }

    /**
     * A question with what the item audit reads (null for items other than trials) and whether its kind is one of
     * the design's primary kinds.
     */
    public record Item(StudyRecords.ExportedItem exported, ItemAudit.AuditedItem audit, boolean primary) {

        StudyItem item() {
            return exported.item();
        }

        private Object heat(ToDoubleFunction<ItemAudit.AuditedItem> side) {
            return audit == null || Double.isNaN(side.applyAsDouble(audit)) ? "" : side.applyAsDouble(audit);
        }
    }

    /**
     * A participant with the platform's ids as exported (pseudonyms unless raw ids were asked for), the user agent
     * (raw exports only), the completion code the session was shown, and the exclusion.
     */
    public record Participant(ParticipantSummary summary, String externalId, String externalStudy,
            String externalSession, String userAgent, String completionCode, String exclusion, String rules) {
    }

    private static final String KINDS = "what the question asks: both-in-sag (both options are nodes of the SAG "
            + "shown: a look-up for SAG readers), one-in-sag, neither-random (two random sets of one size), "
            + "neither-searched (two sets the search evaluated), parent-child, attention or example";

    private static final String PRIMARY = "true when the question kind is one of the design's primary kinds (the "
            + "registered primary outcome); look-up kinds are a manipulation check";

    private static final String RULES = "registered (the design's exclusion rules, frozen at open) or \""
            + ExclusionRules.EXPLORATORY + "\" followed by the rules applied";

    private ExportColumns() {
    }

    public static final List<Column<Answer>> ANSWERS = List.of(
            new Column<>("participant", "session id (the same in participants.csv)", a -> a.row().participant()),
            new Column<>("external_id", "platform id (Prolific PID or MTurk worker id): a pseudonym (HMAC-SHA256 under the server's secret) unless "
                    + "the export asked for raw ids; empty for anonymous sessions", Answer::externalId),
            new Column<>("platform", "prolific, mturk or anonymous", a -> a.row().platform()),
            new Column<>("session_kind", "participant or simulated", a -> a.row().sessionKind().key()),
            new Column<>("condition", "gradcam, igos, sag or none (no explanation)", a -> a.row().condition()),
            new Column<>("image_id", "photo id", a -> a.row().imageId()),
            new Column<>("image_file", "photo file name", a -> a.row().imageFile()),
            new Column<>("predicted_label", "the model's class for the photo (the question asks about it)",
                    a -> a.row().label()),
            new Column<>("item_id", "question id (the same in items.csv)", a -> a.row().itemId()),
            new Column<>("item_kind", "trial, practice (with feedback) or attention (obvious answer)",
                    a -> a.row().itemKind().key()),
            new Column<>("practice", "true for practice items", a -> a.row().itemKind() == ItemKind.PRACTICE),
            new Column<>("attention_check", "true for attention checks", a -> a.row().itemKind() == ItemKind.ATTENTION),
            new Column<>("question_kind", KINDS, a -> a.row().questionKind()),
            new Column<>("primary_outcome", PRIMARY, Answer::primary),
            new Column<>("trial_index", "position in the participant's sequence, from 0 (practice first)",
                    a -> a.row().trialIndex()),
            new Column<>("left_patches", "patches (0-48, row-major 7x7 grid) visible in the item's left option, "
                    + "canonical placement", a -> a.row().leftPatches()),
            new Column<>("right_patches", "patches visible in the item's right option, canonical placement",
                    a -> a.row().rightPatches()),
            new Column<>("left_confidence", "model probability of the predicted class on the left option",
                    a -> a.row().leftConfidence()),
            new Column<>("right_confidence", "model probability of the predicted class on the right option",
                    a -> a.row().rightConfidence()),
            new Column<>("confidence_gap", "absolute difference of the two confidences", a -> a.row().gap()),
            new Column<>("correct_side", "left or right: the option with the higher confidence, canonical placement",
                    a -> a.row().correctSide()),
            new Column<>("left_in_sag", "the left option is a node of the SAG shown in the sag condition",
                    a -> a.row().leftInSag()),
            new Column<>("right_in_sag", "the right option is a node of the SAG shown", a -> a.row().rightInSag()),
            new Column<>("mirrored", "true when this participant saw the item's options swapped",
                    a -> a.row().mirrored()),
            new Column<>("chosen_side", "left or right as shown on the participant's screen",
                    a -> a.row().chosenSide()),
            new Column<>("chosen_item_side", "the chosen option in the item's canonical placement",
                    a -> a.row().chosenItemSide()),
            new Column<>("correct", "chosen_item_side equals correct_side", a -> a.row().correct()),
            new Column<>("confidence_rating", "1 (guessing) to 5 (certain) when the study asked; else empty",
                    a -> a.row().confidenceRating()),
            new Column<>("shown_at", "server time the question was first shown (UTC, ISO-8601)",
                    a -> a.row().shownAt()),
            new Column<>("client_time", "the participant's clock when answering (UTC), if sent",
                    a -> a.row().clientTime()),
            new Column<>("server_time", "server time the answer was stored (UTC)", a -> a.row().serverTime()),
            new Column<>("response_ms", "the server's measure, answer stored minus question first served (what the "
                    + "too-fast rule reads; simulated sessions: the pace the simulation declares)",
                    a -> a.row().responseMs()),
            new Column<>("client_response_ms", "the browser's own measure, as it claimed it (empty without "
                    + "JavaScript); kept for comparison, never used for exclusions",
                    a -> a.row().clientResponseMs()),
            new Column<>("server_response_ms", "server_time minus shown_at in milliseconds",
                    a -> a.row().serverResponseMs()),
            new Column<>("model_sha256", "SHA-256 of the model that computed the explanation and confidences",
                    a -> a.row().modelSha256()),
            new Column<>("explanation_id", "stored explanation the item was built from", a -> a.row().explanationId()),
            new Column<>("explanation_parameters", "the engine's parameters for that explanation (JSON)",
                    a -> a.row().explanationParameters()),
            new Column<>("excluded", "true when the participant is excluded by the export's rules",
                    a -> a.exclusion() != null),
            new Column<>("exclusion_rules", RULES, Answer::rules),
            new Column<>("exclusion_reason", "why (incomplete; failed N attention checks; too fast)",
                    Answer::exclusion));

    public static final List<Column<Participant>> PARTICIPANTS = List.of(
            new Column<>("participant", "session id", p -> p.summary().id()),
            new Column<>("external_id", "platform id: pseudonym unless raw ids were asked for", Participant::externalId),
            new Column<>("platform", "prolific, mturk or anonymous", p -> p.summary().platform()),
            new Column<>("external_study", "Prolific STUDY_ID or MTurk hitId; a pseudonym unless the export asked "
                    + "for raw ids", Participant::externalStudy),
            new Column<>("external_session", "Prolific SESSION_ID or MTurk assignmentId; a pseudonym unless the "
                    + "export asked for raw ids (they lead back to the person on the platform)",
                    Participant::externalSession),
            new Column<>("completion_code", "the completion code this session was shown at the end (its own: "
                    + "reconcile it with the platform's submissions); empty when it finished without one (screened "
                    + "out by the registered exclusion rules) or did not finish", Participant::completionCode),
            new Column<>("session_kind", "participant or simulated", p -> p.summary().kind().key()),
            new Column<>("condition", "gradcam, igos, sag or none", p -> p.summary().condition()),
            new Column<>("state", "active (unfinished) or completed", p -> p.summary().state().key()),
            new Column<>("started_at", "when the session started (UTC)", p -> p.summary().startedAt()),
            new Column<>("completed_at", "when the last answer was stored (UTC)", p -> p.summary().completedAt()),
            new Column<>("duration_s", "completed_at minus started_at in seconds", p -> p.summary().durationSeconds()),
            new Column<>("device", "phone, tablet, desktop or script, from the user agent", p -> p.summary().device()),
            new Column<>("user_agent", "the browser's user agent; raw exports only (it helps single a person out)",
                    Participant::userAgent),
            new Column<>("seed", "seed of the participant's order and placement", p -> p.summary().seed()),
            new Column<>("read_instructions", "went on from the instructions (and the worked example)",
                    p -> p.summary().readInstructions()),
            new Column<>("instruction_seconds", "seconds from the start to leaving the instructions; empty before",
                    p -> p.summary().instructionSeconds()),
            new Column<>("comprehension_failures", "wrong answers to the comprehension check after the instructions "
                    + "(a second one flags the session)", p -> p.summary().comprehensionFailures()),
            new Column<>("passed_comprehension", "answered the comprehension check rightly",
                    p -> p.summary().passedComprehension()),
            new Column<>("practice_questions", "practice questions in the plan", p -> p.summary().practicePlanned()),
            new Column<>("practice_answers", "practice questions answered", p -> p.summary().practiceAnswers()),
            new Column<>("finished_practice", "answered every practice question (the drop-out flow's step)",
                    p -> p.summary().finishedPractice()),
            new Column<>("questions", "questions in the participant's plan", p -> p.summary().planned()),
            new Column<>("answers", "answers stored", p -> p.summary().answers()),
            new Column<>("trial_answers", "answers to trial items", p -> p.summary().trialAnswers()),
            new Column<>("trial_correct", "correct answers to trial items", p -> p.summary().trialCorrect()),
            new Column<>("attention_checks", "attention checks answered", p -> p.summary().attentionAnswers()),
            new Column<>("attention_failed", "attention checks answered wrongly", p -> p.summary().attentionFailed()),
            new Column<>("median_response_ms", "median response_ms over trials and attention checks (the too-fast "
                    + "rule reads it)",
                    p -> p.summary().medianResponseMs()),
            new Column<>("flags", "platform ids that broke the study's rules (e.g. SESSION_ID missing); flagged "
                    + "sessions are excluded unless the rules keep them", p -> p.summary().flags()),
            new Column<>("excluded", "true when excluded by the export's rules", p -> p.exclusion() != null),
            new Column<>("exclusion_rules", RULES, Participant::rules),
            new Column<>("exclusion_reason", "why", Participant::exclusion));

    public static final List<Column<Item>> ITEMS = List.of(
            new Column<>("item_id", "question id", e -> e.item().id()),
            new Column<>("item_kind", "trial, practice, attention or example (the instructions' worked example)",
                    e -> e.item().kind().key()),
            new Column<>("question_kind", KINDS, e -> e.item().questionKind().key()),
            new Column<>("image_id", "photo id", e -> e.item().imageId()),
            new Column<>("image_file", "photo file name", e -> e.exported().imageFile()),
            new Column<>("true_wnid", "the photo's true ImageNet class (from its file name or given at upload); "
                    + "empty when unknown", e -> e.exported().trueWnid() == null ? "" : e.exported().trueWnid()),
            new Column<>("true_label", "the true class's name", e -> e.exported().trueLabel() == null ? "" : e.exported().trueLabel()),
            new Column<>("predicted_wnid", "the model's class for the photo (WordNet id)",
                    e -> e.exported().predictedWnid() == null ? "" : e.exported().predictedWnid()),
            new Column<>("predicted_label", "the model's class for the photo", e -> e.item().label()),
            new Column<>("correctly_classified", "true when the model's class is the true class; empty when the true "
                    + "class is unknown", e -> e.exported().correctlyClassified()),
            new Column<>("p_full", "the model's probability of that class on the whole photo",
                    e -> e.exported().pFull()),
            new Column<>("explanation_id", "stored explanation", e -> e.item().explanationId()),
            new Column<>("model_sha256", "SHA-256 of the model", e -> e.exported().modelSha256()),
            new Column<>("left_patches", "patches visible in the left option (canonical placement)",
                    e -> StudyRecords.patches(e.item().left())),
            new Column<>("right_patches", "patches visible in the right option",
                    e -> StudyRecords.patches(e.item().right())),
            new Column<>("left_confidence", "model confidence on the left option", e -> e.item().leftConfidence()),
            new Column<>("right_confidence", "model confidence on the right option", e -> e.item().rightConfidence()),
            new Column<>("confidence_gap", "absolute difference", e -> e.item().gap()),
            new Column<>("correct_side", "left or right", e -> e.item().correctSide().key()),
            new Column<>("left_in_sag", "left option is a node of the SAG shown", e -> e.item().leftInSag()),
            new Column<>("right_in_sag", "right option is a node of the SAG shown", e -> e.item().rightInSag()),
            new Column<>("primary_outcome", PRIMARY, Item::primary),
            new Column<>("left_gradcam_heat", "sum of the Grad-CAM map (pooled to the 7x7 patches) over the left "
                    + "option's visible patches; trials only (what the item audit's \"more Grad-CAM heat wins\" reads)",
                    e -> e.heat(ItemAudit.AuditedItem::leftGradcamHeat)),
            new Column<>("right_gradcam_heat", "the same for the right option",
                    e -> e.heat(ItemAudit.AuditedItem::rightGradcamHeat)),
            new Column<>("left_igos_heat", "sum of the I-GOS map over the left option's visible patches; trials only",
                    e -> e.heat(ItemAudit.AuditedItem::leftIgosHeat)),
            new Column<>("right_igos_heat", "the same for the right option",
                    e -> e.heat(ItemAudit.AuditedItem::rightIgosHeat)));

    /** The codebook: every file and column, in Markdown. */
    public static String codebook() {
        StringBuilder text = new StringBuilder("""
                # Codebook

                One study's export. Times are UTC (ISO-8601); confidences are the model's probability of the class
                it predicts for the whole photo. Exclusion columns follow the rules given with the export (the same
                rules as the analysis page link that produced it). Preview sessions are never exported.
                `study.json` holds the study with its design, the items, participants and answers with the same
                fields. `analysis.R` fits the registered mixed model to the primary answers of answers.csv (lme4:
                `glmer(correct ~ condition + gap + visible patches + trial index + (1 | participant) +
                (1 | item) + (1 | item:condition) + (1 | photo), family = binomial)`, with its diagnostics and fallbacks;
                each SAG contrast from the model fitted to SAG's and that condition's answers alone) with the export's
                exclusions; run it with `Rscript analysis.R answers.csv`. `preregistration.md` is the
                document registered when the study opened, with its deviations log.
                """);
        for (Map.Entry<String, List<? extends Column<?>>> file : List.<Map.Entry<String, List<? extends Column<?>>>>of(
                Map.entry("answers.csv (one row per answer)", ANSWERS),
                Map.entry("participants.csv (one row per session)", PARTICIPANTS),
                Map.entry("items.csv (one row per question)", ITEMS))) {
            text.append("\n## ").append(file.getKey()).append("\n\n| column | meaning |\n| --- | --- |\n");
            for (Column<?> column : file.getValue()) {
                text.append("| ").append(column.name()).append(" | ").append(column.description()).append(" |\n");
            }
        }
        return text.toString();
    }
}
