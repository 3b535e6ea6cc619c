package org.sagstudy.study;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.problem.Invalid;

/**
 * What the experimenter sets for a study (docs/METHOD.md section 10 gives the defaults). Stored as JSON with the study;
 * frozen once the study opens.
 *
 * @param conditions between-subjects conditions, keys of {@link Condition}
 * @param imageIds photos whose explanations the trials use
 * @param practiceImageIds photos for the practice items (with feedback), kept apart from the trial photos
 * @param questionsPerImage questions asked about each trial photo
 * @param minGap least difference between the two options' confidences (probability of the predicted class)
 * @param minPFull least confidence of the model on the whole photo for it to be used
 * @param practiceItems practice questions before the trials
 * @param attentionChecks questions with an obvious answer among the trials: two views of one photo with the same number
 *        of patches, one the model is sure about and one it is not
 * @param sagRoots, sagDepth, sagChildren the SAG participants see: this many roots, levels below them, and children per
 *        node (those with the largest drop)
 * @param askConfidence ask for a 1-5 confidence rating with every answer
 * @param activeMinutes an unfinished session counts for balanced assignment for this long after its last request
 * @param consent consent text (Markdown)
 * @param instructions instructions shown before the practice (Markdown); a worked example follows it
 * @param completionCode the prefix of the completion code a session that counts is given at the end (each session gets
 *        its own code: this prefix, a dash and a keyed hash of the session, see {@link CompletionCodes})
 * @param redirectUrl where to send a participant who earned a code at the end, when set; {@code {code}} in it is
 *        replaced by that code (for example {@code https://app.prolific.com/submissions/complete?cc={code}})
 * @param seed seed of the item selection and placement
 * @param platform who may take part: {@code any} (also without platform ids), {@code prolific} (a valid Prolific
 *        id is required) or {@code mturk} (a valid MTurk worker id and assignment)
 * @param questionKinds the mix of trial questions: proportions by {@link QuestionKind} key
 * @param sagStyle {@code paper}: the paper's SAG (a forest, up to 3 children per node by index, expanded while a node
 *        keeps more than 40%); {@code dag}: the merged graph, children with the largest drops first
 * @param rendering {@code model}: options show hidden parts as the model saw them (the explanation's baseline);
 *        {@code dimmed}: at 10% brightness, as the paper's figures draw SAG nodes
 * @param allowMisclassified use photos whose known true class the model gets wrong
 * @param primaryKinds the question kinds of the registered primary outcome: the headline of the results, of
 *        {@code analysis.R}, of the power analysis and of the pre-registration uses only their answers. By default the
 *        inference kinds of the mix (no option's confidence is printed in any condition's explanation): a look-up
 *        measures whether readers can read a SAG, not whether it helps them predict the model
 * @param exclusions the registered exclusion rules, frozen at open with the rest of the design
 * @param equivalenceMargin the margin of the equivalence tests (TOST) in accuracy points: 0.05 = 5 points
 * @param plannedPerCondition completed sessions planned per condition (0: not planned yet); data collection stops
 *        when every condition has them (the pre-registration's stopping rule; its power assumes none is excluded)
 * @param expectedAccuracy the accuracy on the primary questions expected per condition (the power behind the planned
 *        sample); empty when not stated
 * @param recruitment the platform's study id and the screen-out code
 * @param model the name of the model whose explanations the study shows (one of the server's configured models; empty:
 *        the server's default model)
 * @param modelSha256 that model's hash, frozen when the study opens (or brought by an imported protocol); null while
 *        a draft follows whatever file the name stands for
 */
public record StudyDesign(List<String> conditions, List<Long> imageIds, List<Long> practiceImageIds,
        int questionsPerImage, double minGap, double minPFull, int practiceItems, int attentionChecks, int sagRoots,
        int sagDepth, int sagChildren, boolean askConfidence, int activeMinutes, String consent, String instructions,
        String completionCode, String redirectUrl, long seed, String platform, Map<String, Double> questionKinds,
        String sagStyle, String rendering, boolean allowMisclassified, List<String> primaryKinds,
        Exclusions exclusions, Double equivalenceMargin, Integer plannedPerCondition,
        Map<String, Double> expectedAccuracy, Recruitment recruitment, String model, String modelSha256) {

    /**
     * The recruiting platform's side of the study.
     *
     * @param platformStudyId the platform's id of this study (Prolific's STUDY_ID, MTurk's HIT id): a session that
     *        brings another one is flagged; empty: not checked
     * @param screenOutCode the code a session that breaks the registered exclusion rules is given instead of a
     *        completion code (for example Prolific's "Screened out" code); empty: such a session gets no code, only
     *        the message to contact the researcher
     */
    public record Recruitment(String platformStudyId, String screenOutCode) {

        public static final Recruitment NONE = new Recruitment("", "");

        public Recruitment {
            platformStudyId = platformStudyId == null ? "" : platformStudyId.trim();
            screenOutCode = screenOutCode == null ? "" : screenOutCode.trim();
        }
    }

    /**
     * Which participants count: more failed attention checks than allowed, a median response time (server-measured)
     * below the minimum, an unfinished session, platform ids that broke the study's rules.
     */
    public record Exclusions(Integer maxFailedChecks, Integer minMedianMs, Boolean excludeIncomplete,
            Boolean excludeFlagged) {

        public static final Exclusions DEFAULT = new Exclusions(0, 1000, true, true);

        /** A rule left out keeps its default: a change names only what differs. */
        public Exclusions {
            maxFailedChecks = maxFailedChecks == null ? 0 : maxFailedChecks;
            minMedianMs = minMedianMs == null ? 1000 : minMedianMs;
            excludeIncomplete = excludeIncomplete == null || excludeIncomplete;
            excludeFlagged = excludeFlagged == null || excludeFlagged;
        }

        /**
         * Why a participant breaks these rules, one reason per rule (empty when they count): the one reading of the
         * rules, for the results and for the completion code a session is shown.
         */
        public List<String> broken(boolean completed, int attentionFailed, Double medianResponseMs, String flags) {
            List<String> reasons = new ArrayList<>();
            if (excludeIncomplete && !completed) {
                reasons.add("incomplete");
            }
            if (attentionFailed > maxFailedChecks) {
                reasons.add("failed " + attentionFailed + " attention check" + (attentionFailed == 1 ? "" : "s"));
            }
            if (medianResponseMs != null && medianResponseMs < minMedianMs) {
                reasons.add(String.format(Locale.ROOT, "too fast (median %.0f ms)", medianResponseMs));
            }
            if (excludeFlagged && flags != null) {
                reasons.add("flagged (" + flags + ")");
            }
            return reasons;
        }
    }

    /** Kinds whose options are never nodes of the SAG shown: every condition must infer the answer. */
    public static final List<QuestionKind> INFERENCE_KINDS = List.of(QuestionKind.NEITHER_SEARCHED,
            QuestionKind.NEITHER_RANDOM);
    public static final double DEFAULT_EQUIVALENCE_MARGIN = 0.05;
    /** Beyond this the power behind the plan would take minutes to simulate; no lab study is this large. */
    public static final int MAX_PLANNED = 2000;

    public static final List<String> PLATFORMS = List.of("any", "prolific", "mturk");
    public static final List<String> SAG_STYLES = List.of("paper", "dag");
    public static final List<String> RENDERINGS = List.of("model", "dimmed");

    /**
     * Look-up questions (both options in the SAG), half look-ups and inference questions on random options, a third
     * each: the analysis can then compare what the SAG group reads off its graph with what it infers, against the
     * same questions in the heat-map groups. Options the search evaluated are left out: they favour the top I-GOS
     * patches.
     */
    public static final Map<String, Double> DEFAULT_QUESTION_KINDS = Map.of("both-in-sag", 1.0, "one-in-sag", 1.0,
            "neither-random", 1.0);

    public StudyDesign {
        platform = platform == null ? "any" : platform.trim().toLowerCase(Locale.ROOT);
        questionKinds = questionKinds == null ? DEFAULT_QUESTION_KINDS : questionKinds;
        sagStyle = sagStyle == null ? "paper" : sagStyle.trim().toLowerCase(Locale.ROOT);
        rendering = rendering == null ? "model" : rendering.trim().toLowerCase(Locale.ROOT);
        exclusions = exclusions == null ? Exclusions.DEFAULT : exclusions;
        equivalenceMargin = equivalenceMargin == null ? DEFAULT_EQUIVALENCE_MARGIN : equivalenceMargin;
        plannedPerCondition = plannedPerCondition == null ? 0 : plannedPerCondition;
        expectedAccuracy = expectedAccuracy == null ? Map.of() : expectedAccuracy;
        recruitment = recruitment == null ? Recruitment.NONE : recruitment;
        model = model == null ? "" : model;
    }

    /**
     * The kinds of the primary outcome: those named, or else the inference kinds of the mix (none when the mix has
     * none: {@link #problems()} says so).
     */
    public List<QuestionKind> primaryKindList() {
        if (primaryKinds != null && !primaryKinds.isEmpty()) {
            return primaryKinds.stream().flatMap(key -> QuestionKind.byKey(key).stream()).distinct().sorted().toList();
        }
        return questionMix().keySet().stream().filter(INFERENCE_KINDS::contains).toList();
    }

    public boolean isPrimary(QuestionKind kind) {
        return primaryKindList().contains(kind);
    }

    /** The same design with other photos (protocol import maps the photos to the importing server's ids). */
    public StudyDesign withImages(List<Long> trials, List<Long> practice) {
        return new StudyDesign(conditions, trials, practice, questionsPerImage, minGap, minPFull, practiceItems,
                attentionChecks, sagRoots, sagDepth, sagChildren, askConfidence, activeMinutes, consent, instructions,
                completionCode, redirectUrl, seed, platform, questionKinds, sagStyle, rendering, allowMisclassified,
                primaryKinds, exclusions, equivalenceMargin, plannedPerCondition, expectedAccuracy, recruitment, model,
                modelSha256);
    }

    /** The same design with its model named and its hash frozen (at open). */
    public StudyDesign withModel(String name, String sha256) {
        return new StudyDesign(conditions, imageIds, practiceImageIds, questionsPerImage, minGap, minPFull,
                practiceItems, attentionChecks, sagRoots, sagDepth, sagChildren, askConfidence, activeMinutes, consent,
                instructions, completionCode, redirectUrl, seed, platform, questionKinds, sagStyle, rendering,
                allowMisclassified, primaryKinds, exclusions, equivalenceMargin, plannedPerCondition, expectedAccuracy,
                recruitment, name, sha256);
    }

    /** The question mix by kind, in the kinds' order, without kinds at 0. */
    public Map<QuestionKind, Double> questionMix() {
        Map<QuestionKind, Double> mix = new EnumMap<>(QuestionKind.class);
        questionKinds.forEach((key, share) -> QuestionKind.byKey(key).filter(k -> share != null && share > 0)
                .ifPresent(kind -> mix.put(kind, share)));
        return mix;
    }

    public static StudyDesign defaults() {
        return new StudyDesign(List.of("gradcam", "igos", "sag"), List.of(), List.of(), 2, 0.20, 0.8, 2, 2, 3, 2, 2,
                false, 60, """
                        This study is part of research on how people understand image classifiers. You will see photos, \
                        explanations of what a computer program looked at, and questions about it. It takes about 15 \
                        minutes. Your answers are stored without your name; you can stop at any time.

                        By continuing you agree to take part.""", """
                        A computer program (an *image classifier*) has looked at each photo and named what it shows.
                        You will see what the program paid attention to, and then two versions of the same photo with \
                        parts hidden.

                        **Your task:** choose the version on which the program will be **more confident** of its answer.
                        """, "", "", 1L, "any", DEFAULT_QUESTION_KINDS, "paper", "model", false, null,
                Exclusions.DEFAULT, DEFAULT_EQUIVALENCE_MARGIN, 0, Map.of(), Recruitment.NONE, "", null);
    }

    /** Conditions by their keys and texts never null; a NUL character (PostgreSQL refuses it) is an error. */
    public StudyDesign normalized() {
        List<String> keys = conditions.stream().map(key -> Condition.byKey(key).map(Condition::key).orElse(key))
                .toList();
        return new StudyDesign(keys, imageIds, practiceImageIds, questionsPerImage, minGap, minPFull, practiceItems,
                attentionChecks, sagRoots, sagDepth, sagChildren, askConfidence, activeMinutes, text(consent),
                text(instructions), text(completionCode), text(redirectUrl), seed, platform, questionKinds, sagStyle,
                rendering, allowMisclassified, primaryKinds, exclusions, equivalenceMargin, plannedPerCondition,
                expectedAccuracy, recruitment, text(model).trim(), modelSha256);
    }

    /** Texts may hold line breaks and tabs, not NUL. */
    private static String text(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(0) >= 0) {
            throw new Invalid("a text of the design contains a NUL character");
        }
        return value;
    }

    public List<Condition> conditionList() {
        return conditions.stream().map(key -> Condition.byKey(key).orElseThrow()).toList();
    }

    /** Problems that make the design unusable, as sentences; empty when it is fine. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        conditionProblems(problems);
        photoProblems(problems);
        numberProblems(problems);
        recruitmentProblems(problems);
        questionMixProblems(problems);
        primaryKindProblems(problems);
        analysisProblems(problems);
        if (consent == null || consent.isBlank()) {
            problems.add("the consent text is empty");
        }
        if (imageIds != null && new HashSet<>(imageIds).size() != imageIds.size()) {
            problems.add("a photo is listed twice");
        }
        return problems;
    }

    /** Known conditions, each once. */
    private void conditionProblems(List<String> problems) {
        if (conditions == null || conditions.isEmpty()) {
            problems.add("choose at least one condition");
        } else {
            for (String key : conditions) {
                if (Condition.byKey(key).isEmpty()) {
                    problems.add("unknown condition '" + key + "' (gradcam, igos, sag or none)");
                }
            }
            if (new HashSet<>(conditions).size() != conditions.size()) {
                problems.add("a condition is listed twice");
            }
        }
    }

    /** Trial and practice photos apart, and practice photos when there is practice. */
    private void photoProblems(List<String> problems) {
        if (imageIds == null || practiceImageIds == null) {
            problems.add("image lists are missing");
        } else {
            HashSet<Long> both = new HashSet<>(imageIds);
            both.retainAll(practiceImageIds);
            if (!both.isEmpty()) {
                problems.add("photos " + both + " are chosen for both trials and practice");
            }
            if (practiceItems > 0 && practiceImageIds.isEmpty()) {
                problems.add("practice items need at least one practice photo (or set practice items to 0)");
            }
        }
    }

    /** Counts, the SAG shown and the confidence thresholds within their ranges. */
    private void numberProblems(List<String> problems) {
        range(problems, "questions per photo", questionsPerImage, 1, 20);
        range(problems, "practice items", practiceItems, 0, 20);
        range(problems, "attention checks", attentionChecks, 0, 10);
        range(problems, "SAG roots", sagRoots, 1, 10);
        range(problems, "SAG depth", sagDepth, 0, 4);
        range(problems, "children per SAG node", sagChildren, 1, 6);
        range(problems, "active minutes", activeMinutes, 1, 24 * 60);
        if (!(minGap > 0 && minGap < 1)) {
            problems.add("the minimum confidence gap must be above 0 and below 1 (0.20 = 20 points)");
        }
        if (!(minPFull >= 0 && minPFull <= 1)) {
            problems.add("the minimum confidence on the whole photo must be between 0 and 1");
        }
    }

    /** What goes to and comes from the recruitment platform, and how the study looks. */
    private void recruitmentProblems(List<String> problems) {
        if (completionCode != null && !completionCode.isBlank()
                && !completionCode.trim().matches("[A-Za-z0-9_-]{1,40}")) {
            problems.add("the completion code prefix must be 1 to 40 letters, digits, _ or - (it goes into the "
                    + "redirect URL)");
        }
        if (model.length() > 200 || (modelSha256 != null && !modelSha256.matches("[0-9a-f]{64}"))) {
            problems.add("the model is a configured model's name (at most 200 characters), its hash 64 hex digits");
        }
        if (recruitment.screenOutCode().length() > 200 || recruitment.platformStudyId().length() > 200) {
            problems.add("the screen-out code and the platform's study id must be at most 200 characters");
        }
        if ("prolific".equals(platform) && !recruitment.platformStudyId().isEmpty()
                && !recruitment.platformStudyId().matches("[0-9a-fA-F]{24}")) {
            problems.add("the platform's study id must be Prolific's STUDY_ID: 24 hexadecimal characters");
        }
        if (redirectUrl != null && !redirectUrl.isBlank() && !isWebAddress(redirectUrl)) {
            problems.add("the redirect URL must start with https:// or http://");
        }
        if (!PLATFORMS.contains(platform)) {
            problems.add("the platform must be any, prolific or mturk");
        }
        if (!SAG_STYLES.contains(sagStyle)) {
            problems.add("the SAG shown must be paper or dag");
        }
        if (!RENDERINGS.contains(rendering)) {
            problems.add("the rendering of hidden parts must be model or dimmed");
        }
    }

    /** Known question kinds with shares, at least one above 0. */
    private void questionMixProblems(List<String> problems) {
        for (Map.Entry<String, Double> share : questionKinds.entrySet()) {
            Optional<QuestionKind> kind = QuestionKind.byKey(share.getKey());
            if (kind.isEmpty() || !QuestionKind.MIXABLE.contains(kind.get())) {
                problems.add("unknown question kind '" + share.getKey() + "' (" + QuestionKind.MIXABLE.stream()
                        .map(QuestionKind::key).reduce((a, b) -> a + ", " + b).orElse("") + ")");
            } else if (share.getValue() == null || !(share.getValue() >= 0) || share.getValue().isInfinite()) {
                problems.add("the share of " + share.getKey() + " questions must be a number of at least 0");
            }
        }
        if (problems.stream().noneMatch(p -> p.contains("question kind") || p.contains("share of"))
                && questionMix().isEmpty()) {
            problems.add("the question mix needs at least one kind with a share above 0");
        }
    }

    /** The registered analysis: exclusion rules, equivalence margin, the power plan. */
    private void analysisProblems(List<String> problems) {
        if (exclusions.maxFailedChecks() < 0 || exclusions.minMedianMs() < 0) {
            problems.add("the exclusion rules' numbers must be at least 0");
        }
        if (!(equivalenceMargin > 0 && equivalenceMargin < 0.5)) {
            problems.add("the equivalence margin must be above 0 and below 0.5 (0.05 = 5 points)");
        }
        range(problems, "planned participants per condition", plannedPerCondition, 0, MAX_PLANNED);
        expectedAccuracy.forEach((condition, accuracy) -> {
            if (conditions == null || !conditions.contains(condition)) {
                problems.add("an expected accuracy is given for " + condition + ", which is not a condition");
            } else if (accuracy == null || !(accuracy > 0 && accuracy < 1)) {
                problems.add("the expected accuracy of " + condition + " must be above 0 and below 1");
            }
        });
    }

    private void primaryKindProblems(List<String> problems) {
        if (primaryKinds != null) {
            for (String key : primaryKinds) {
                Optional<QuestionKind> kind = QuestionKind.byKey(key);
                if (kind.isEmpty() || !QuestionKind.MIXABLE.contains(kind.get())) {
                    problems.add("unknown primary question kind '" + key + "'");
                } else if (!questionMix().containsKey(kind.get())) {
                    problems.add("the primary kind " + key + " has no share in the question mix");
                }
            }
        }
        if (primaryKindList().isEmpty() && !questionMix().isEmpty()) {
            problems.add("the primary outcome needs a question kind: the mix has no inference kind (neither-random "
                    + "or neither-searched), so name the primary kinds");
        }
    }

    private static void range(List<String> problems, String what, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(String.format(Locale.ROOT, "%s must be %d to %d (is %d)", what, min, max, value));
        }
    }

    private static boolean isWebAddress(String text) {
        try {
            // {code} stands for the session's completion code (letters, digits and a dash)
            URI uri = new URI(text.trim().replace("{code}", "CODE"));
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
