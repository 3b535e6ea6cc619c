package org.sagstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sagstudy.study.AnswerRow;
import org.sagstudy.study.ItemKind;
import org.sagstudy.study.ParticipantSummary;
import org.sagstudy.study.SessionKind;
import org.sagstudy.study.SessionState;

/** The analysis on a hand-made study whose counts are known. */
class AnalysisTest {

    private static final List<String> EVERY_KIND = List.of("both-in-sag", "neither-random", "neither-searched");
    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-26T10:00:00Z");

    private static ParticipantSummary participant(long id, String condition, String kind, boolean completed,
            int failedChecks, double medianMs) {
        return new ParticipantSummary(id, condition, SessionKind.byKey(kind),
                completed ? SessionState.COMPLETED : SessionState.ACTIVE, "prolific", "p" + id,
                null, null, T0, completed ? T0.plusMinutes(10) : null, "Mozilla/5.0 (X11; Linux)", id, 6, 6, 4, 0, 2,
                failedChecks, medianMs, null, T0.plusMinutes(1), 2, completed ? 2 : 1, 0, true);
    }

    private static AnswerRow answer(long participant, String condition, String kind, boolean correct, double gap,
            long image) {
        return answer(participant, condition, kind, "neither-searched", correct, gap, image);
    }

    private static AnswerRow answer(long participant, String condition, String kind, String questionKind,
            boolean correct, double gap, long image) {
        return new AnswerRow(participant, condition, SessionKind.PARTICIPANT, "prolific", "p" + participant,
                image * 10, ItemKind.byKey(kind), questionKind, image, "photo" + image + ".jpg", "label", 0, "1 2", "3", 0.1 + gap, 0.1, "left",
                false, correct ? "left" : "right", correct ? "left" : "right", correct, null, T0, null,
                T0.plusSeconds(3), 3000, 3000L, true, false, "sha", 1, "{}", 3000);
    }

    @Test
    void accuracyComparisonsAndExclusionsFollowTheRules() {
        List<ParticipantSummary> people = new ArrayList<>();
        List<AnswerRow> answers = new ArrayList<>();
        // sag: participants 1-3 answer 4 trials each, 3 of 4 correct; gradcam: 4-6, 1 of 4 correct. Even trials are
        // look-ups (both-in-sag), odd ones random options: sag 2/2 and 1/2 on them, gradcam 1/2 and 0/2.
        for (long id = 1; id <= 6; id++) {
            String condition = id <= 3 ? "sag" : "gradcam";
            people.add(participant(id, condition, "participant", true, 0, 3000));
            for (int t = 0; t < 4; t++) {
                boolean correct = id <= 3 ? t < 3 : t < 1;
                answers.add(answer(id, condition, "trial", t % 2 == 0 ? "both-in-sag" : "neither-random", correct,
                        t < 2 ? 0.3 : 0.9, t % 2));
            }
            answers.add(answer(id, condition, "attention", true, 0.9, 0));
            answers.add(answer(id, condition, "practice", false, 0.5, 0));
        }
        // excluded: a failed check, too fast, incomplete; and a simulated session
        people.add(participant(7, "sag", "participant", true, 1, 3000));
        people.add(participant(8, "gradcam", "participant", true, 0, 200));
        people.add(participant(9, "gradcam", "participant", false, 0, 3000));
        people.add(participant(10, "sag", "simulated", true, 0, 3000));
        for (long id = 7; id <= 10; id++) {
            answers.add(answer(id, id % 2 == 1 ? "sag" : "gradcam", "trial", false, 0.5, 0));
        }

        Analysis analysis = Analysis.of(List.of("gradcam", "igos", "sag"), EVERY_KIND, people, answers,
                ExclusionRules.defaults(), 3, 0.05);
        Map<String, Analysis.ConditionResult> byCondition = new java.util.HashMap<>();
        analysis.conditions().forEach(c -> byCondition.put(c.condition(), c));
        Analysis.ConditionResult sag = byCondition.get("sag");
        Analysis.ConditionResult gradcam = byCondition.get("gradcam");
        assertEquals(4, sag.started(), "simulated sessions are not real participants");
        assertEquals(3, sag.included());
        assertEquals(Map.of("failed attention check", 1), sag.exclusionReasons());
        assertEquals(9, sag.correct());
        assertEquals(12, sag.answers());
        assertEquals(Statistics.wilson(9, 12), sag.accuracy());
        assertEquals(Statistics.againstChance(9, 12), sag.pAgainstChance(), 1e-12);
        assertEquals(3, gradcam.correct());
        assertEquals(Map.of("incomplete", 1, "too fast", 1), gradcam.exclusionReasons());
        assertEquals(0, byCondition.get("igos").answers());
        assertEquals(3, sag.attentionChecks());
        assertEquals(1.0, sag.attentionPassRate(), 1e-12);

        assertEquals(0.75, sag.participantAccuracy().estimate(), 1e-12);
        assertEquals(0.75, sag.participantAccuracy().low(), 1e-12, "three alike participants: no spread");

        assertEquals(2, analysis.comparisons().size());
        Analysis.Comparison vsGradcam = analysis.comparisons().get(0);
        assertEquals("gradcam", vsGradcam.against());
        assertEquals(0.5, vsGradcam.participantDifference(), 1e-12);
        assertTrue(Double.isNaN(vsGradcam.welchP()), "no spread and different means: not testable");
        assertTrue(Double.isNaN(analysis.comparisons().get(1).welchP()), "igos has no participants");

        assertEquals(List.of("both-in-sag", "neither-random"), analysis.byKind().stream().map(Analysis.KindResult::kind)
                .toList());
        Analysis.KindResult lookUp = analysis.byKind().get(0);
        assertTrue(lookUp.forSagReaders().startsWith("look-up"));
        Analysis.KindCondition sagLookUp = lookUp.conditions().stream().filter(c -> c.condition().equals("sag"))
                .findFirst().orElseThrow();
        assertEquals(List.of(3, 6, 6), List.of(sagLookUp.participants(), sagLookUp.answers(), sagLookUp.correct()));
        assertEquals(1.0 - 0.5, lookUp.comparisons().get(0).participantDifference(), 1e-12);
        Analysis.KindResult random = analysis.byKind().get(1);
        assertEquals(0.5 - 0.0, random.comparisons().get(0).participantDifference(), 1e-12);
        assertEquals(0.75 - 0.25, vsGradcam.difference().estimate(), 1e-12);
        assertEquals(Statistics.fisher(9, 3, 3, 9), vsGradcam.fisherP(), 1e-12);
        double[] holm = Statistics.holm(new double[] {vsGradcam.fisherP(), analysis.comparisons().get(1).fisherP()});
        assertEquals(holm[0], vsGradcam.fisherPHolm(), 1e-12);

        // gap: 0.3 -> "below 0.4" (sag 6 of 6 correct: t = 0, 1), 0.9 -> "0.8 and above" (3 of 6)
        assertEquals(List.of("below 0.4", "100% (6/6)"), List.of(analysis.byGap().rows().get(0).get(0),
                analysis.byGap().rows().get(0).get(3)));
        assertEquals("50% (3/6)", analysis.byGap().rows().get(3).get(3));
        assertEquals(List.of("photo", "gradcam", "igos", "sag"), analysis.byImage().columns());
        assertEquals(2, analysis.byImage().rows().size());

        assertEquals(List.of("chose the left option", "25% (3/12)", "no answers", "75% (9/12)"),
                analysis.sideAndPosition().rows().get(0), "left was chosen when right, in these answers");

        // the flow: gradcam's participant 9 left during the practice; the drop-out test compares gradcam and sag
        Analysis.FlowRow gradcamFlow = analysis.flow().get(0);
        assertEquals(List.of(5, 5, 4, 4, 2, 3), List.of(gradcamFlow.started(), gradcamFlow.readInstructions(),
                gradcamFlow.finishedPractice(), gradcamFlow.completed(), gradcamFlow.excluded(),
                gradcamFlow.included()));
        Analysis.FlowRow sagFlow = analysis.flow().get(2);
        assertEquals(List.of(4, 4, 4, 1, 3), List.of(sagFlow.started(), sagFlow.finishedPractice(),
                sagFlow.completed(), sagFlow.excluded(), sagFlow.included()));
        assertEquals(0, analysis.flow().get(1).started());
        assertEquals(Statistics.fisher(4, 1, 4, 0), analysis.dropOut().p(), 1e-12);
        assertEquals("Fisher's exact test", analysis.dropOut().test());
        assertEquals(60.0, gradcamFlow.medianInstructionSeconds(), 1e-9);

        ExclusionRules lenient = new ExclusionRules(1, 0, false, Population.ALL, true, false);
        Analysis all = Analysis.of(List.of("gradcam", "sag"), EVERY_KIND, people, answers, lenient, 3, 0.05);
        assertEquals(5, all.conditions().get(1).included(), "everyone in sag counts, simulated included");
        assertEquals(Optional.empty(), lenient.exclusion(people.get(6)));
        assertTrue(ExclusionRules.defaults().exclusion(people.get(7)).orElseThrow().startsWith("too fast"));
    }

    @Test
    void theHeadlineReadsOnlyThePrimaryKinds() {
        List<ParticipantSummary> people = new ArrayList<>();
        List<AnswerRow> answers = new ArrayList<>();
        // SAG readers look every answer up (4 of 4 look-ups right), Grad-CAM readers get 1 of 4; on the inference
        // questions both get 2 of 4 right: the look-ups alone differ
        for (long id = 1; id <= 8; id++) {
            String condition = id <= 4 ? "sag" : "gradcam";
            people.add(participant(id, condition, "participant", true, 0, 3000));
            for (int t = 0; t < 4; t++) {
                answers.add(answer(id, condition, "trial", "both-in-sag", id <= 4 || t == 0, 0.5, t));
                answers.add(answer(id, condition, "trial", "neither-random", (t + id) % 2 == 0, 0.5, t));
            }
        }
        Analysis analysis = Analysis.of(List.of("gradcam", "sag"), List.of("neither-random"), people, answers,
                ExclusionRules.defaults(), 3, 0.05);
        assertEquals(0.5, analysis.conditions().get(1).participantAccuracy().estimate(), 1e-12);
        assertEquals(16, analysis.conditions().get(1).answers(), "only the 4 inference answers of each of 4");
        Analysis.Comparison headline = analysis.comparisons().get(0);
        assertEquals(0, headline.participantDifference(), 1e-12);
        assertTrue(headline.welchPHolm() > 0.05 || Double.isNaN(headline.welchPHolm()));
        Analysis.KindResult lookUp = analysis.byKind().get(0);
        assertEquals("both-in-sag", lookUp.kind());
        assertFalse(lookUp.primary(), "look-ups are a manipulation check");
        assertEquals(0.75, lookUp.comparisons().get(0).participantDifference(), 1e-12, "shown apart, not pooled");
        assertTrue(analysis.byKind().get(1).primary());
    }

    @Test
    void dropOutAcrossThreeConditionsIsAChiSquareTest() {
        // 10 start in each condition; all finish in gradcam and sag, 5 in igos: expected 25/3 finishers each, so
        // chi-square = 2 * (1/3 + 5/3) + (4/3 + 20/3) = 12 on 2 df, p = exp(-12 / 2)
        List<ParticipantSummary> people = new ArrayList<>();
        long id = 0;
        for (String condition : List.of("gradcam", "igos", "sag")) {
            for (int i = 0; i < 10; i++) {
                people.add(participant(++id, condition, "participant", !condition.equals("igos") || i < 5, 0, 3000));
            }
        }
        Analysis analysis = Analysis.of(List.of("gradcam", "igos", "sag"), EVERY_KIND, people, List.of(),
                ExclusionRules.defaults(), 3, 0.05);
        assertEquals("chi-square test (2 df)", analysis.dropOut().test());
        assertEquals(Math.exp(-6), analysis.dropOut().p(), 1e-12);
        assertEquals(5, analysis.flow().get(1).completed());
        assertTrue(Double.isNaN(analysis.flow().get(1).accuracyKeepingIncomplete().estimate()), "no answers yet");
    }
}
