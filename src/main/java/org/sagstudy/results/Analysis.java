package org.sagstudy.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.sagstudy.study.AnswerRow;
import org.sagstudy.study.ItemKind;
import org.sagstudy.study.ParticipantSummary;
import org.sagstudy.study.QuestionKind;

/**
 * The paper's comparison from a study's answers, with participants as the unit. The headline (per condition, SAG
 * against the others, by gap and by photo) reads only the answers to the design's primary question kinds: a look-up
 * shows whether readers can read a SAG, not whether it lets them predict the model, and is shown by kind as a
 * manipulation check. Per condition: each included participant's accuracy on the primary trial questions, their mean with a t interval (and, marked as treating answers as
 * independent, the pooled accuracy with a Wilson interval and a binomial test against chance). SAG against every other
 * condition: min F' (the page's primary test: participants and questions both as samples, see
 * {@link Statistics#minF}), Welch's t-test and the Mann-Whitney test on the per-participant accuracies, each
 * Holm-adjusted over the comparisons, next to a participant-cluster bootstrap interval of the difference (and Fisher's test on the pooled
 * counts, marked as independent). The same by question kind (look-ups apart from inference), by confidence gap and by
 * photo, with response times and attention checks. Exclusions follow {@link ExclusionRules}.
 */
public record Analysis(ExclusionRules rules, List<String> primaryKinds, List<ConditionResult> conditions,
        List<Comparison> comparisons, List<KindResult> byKind, Table byGap, Table byImage,
        Map<String, double[]> responseTimes, List<FlowRow> flow, DropOut dropOut, Table sideAndPosition) {

    /**
     * A CONSORT-style flow of one condition's real (or simulated, as the rules choose) sessions: started (a session
     * starts when the participant consents), read the instructions, passed the comprehension check (at the first or
     * second try), finished the practice, completed, excluded by
     * the rules (with reasons), included; and, as a sensitivity check, the primary accuracy when unfinished sessions
     * are kept.
     */
    public record FlowRow(String condition, int started, int readInstructions, int passedComprehension,
            int finishedPractice, int completed,
            int excluded, Map<String, Integer> exclusionReasons, int included,
            Statistics.Interval accuracyKeepingIncomplete, Double medianInstructionSeconds) {
    }

    /**
     * Whether sessions were left unfinished more often in some conditions: Fisher's exact test for two conditions,
     * the chi-square test of independence for more (p = 1 when nobody, or everybody, dropped out).
     */
    public record DropOut(String test, double p) {
    }

    /**
     * @param participantAccuracy mean of the included participants' accuracies with its 95% t interval
     * @param accuracy pooled over answers, Wilson interval: treats answers as independent
     * @param pAgainstChance binomial test of the pooled answers: treats answers as independent
     */
    public record ConditionResult(String condition, int started, int completed, int included, int excluded,
            Map<String, Integer> exclusionReasons, int answers, int correct, Statistics.Interval participantAccuracy,
            Statistics.Interval accuracy, double pAgainstChance, int attentionChecks, int attentionPassed,
            double medianResponseMs) {

        public String reasons() {
            return exclusionReasons.isEmpty() ? "" : exclusionReasons.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
        }

        public double attentionPassRate() {
            return attentionChecks == 0 ? Double.NaN : (double) attentionPassed / attentionChecks;
        }
    }

    /**
     * SAG against another condition.
     *
     * @param participantDifference difference of the mean per-participant accuracies (SAG minus the other)
 * @param minFP min F' over participants and primary questions: the page's primary test
     * @param difference difference of mean participant accuracy with a participant bootstrap interval
     * @param equivalenceP TOST of the same difference against ±{@code equivalenceMargin}: below 0.05 (after Holm),
     *        "no difference" may be claimed
     * @param fisherP Fisher's exact test on the pooled counts: treats answers as independent
     */
    public record Comparison(String against, double participantDifference, double minFP, double minFPHolm,
            double welchP, double welchPHolm,
            double mannWhitneyP, double mannWhitneyPHolm, Statistics.Interval difference, int sagCorrect,
            int sagWrong, int otherCorrect, int otherWrong, double fisherP, double fisherPHolm,
            double equivalenceMargin, double equivalenceP, double equivalencePHolm) {
    }

    /**
     * One kind of question: each condition's participants on it, and SAG against each other condition.
     *
     * @param primary one of the kinds of the registered primary outcome; the others are manipulation checks or
     *        exploratory
     */
    public record KindResult(String kind, String forSagReaders, boolean primary, List<KindCondition> conditions,
            List<KindComparison> comparisons) {
    }

    public record KindCondition(String condition, int participants, int answers, int correct,
            Statistics.Interval participantAccuracy) {
    }

    /** Welch's test on per-participant accuracies within the kind, Holm-adjusted over the kind's comparisons. */
    public record KindComparison(String against, double participantDifference, double welchP, double welchPHolm) {
    }

    /** A table of formatted cells: one row per bin or photo, one column per condition. */
    public record Table(List<String> columns, List<List<String>> rows) {
    }

    static final double[] GAP_BINS = {0.2, 0.4, 0.6, 0.8};
    static final String[] GAP_LABELS = {"below 0.4", "0.4 to 0.6", "0.6 to 0.8", "0.8 and above"};
    static final int RESAMPLES = 2000;
    static final String SAG = "sag";

    public static Analysis of(List<String> conditionOrder, List<String> primaryKinds,
            List<ParticipantSummary> everyone, List<AnswerRow> answers, ExclusionRules rules, long seed,
            double equivalenceMargin) {
        List<String> conditions = new ArrayList<>(conditionOrder);
        everyone.stream().map(ParticipantSummary::condition).filter(c -> !conditions.contains(c)).distinct()
                .forEach(conditions::add);
        Included included = Included.of(everyone, rules);
        List<AnswerRow> trials = answers.stream().filter(included::counts).filter(a -> a.itemKind() == ItemKind.TRIAL)
                .toList();
        List<AnswerRow> counted = trials.stream().filter(a -> primaryKinds.contains(a.questionKind())).toList();

        List<ConditionResult> results = new ArrayList<>();
        Map<String, List<Statistics.Cluster>> clusters = new HashMap<>();
        Map<String, double[]> accuracies = new HashMap<>();
        Map<String, double[]> times = new LinkedHashMap<>();
        for (String condition : conditions) {
            Scored scored = score(condition, included, counted, answers);
            results.add(scored.result());
            clusters.put(condition, scored.clusters());
            accuracies.put(condition, scored.accuracy());
            times.put(condition, scored.responseTimes());
        }
        List<FlowRow> flow = flow(conditions, included.population().values(), included.exclusion(), answers, rules,
                primaryKinds);
        return new Analysis(rules, primaryKinds, results, comparisons(results, clusters, accuracies,
                itemAccuracies(counted), seed, equivalenceMargin),
                byKind(conditions, trials, primaryKinds), byGap(conditions, counted), byImage(conditions, counted),
                times, flow, dropOut(flow), sideAndPosition(conditions, trials));
    }

    /** The participants of the analysed population, by id, with the exclusion rule each breaks (empty: none). */
    private record Included(Map<Long, ParticipantSummary> population, Map<Long, Optional<String>> exclusion) {

        static Included of(List<ParticipantSummary> everyone, ExclusionRules rules) {
            Map<Long, ParticipantSummary> population = new LinkedHashMap<>();
            Map<Long, Optional<String>> exclusion = new HashMap<>();
            for (ParticipantSummary p : everyone) {
                if (rules.population().includes(p.kind())) {
                    population.put(p.id(), p);
                    exclusion.put(p.id(), rules.exclusion(p));
                }
            }
            return new Included(population, exclusion);
        }

        /** An answer of an included participant who breaks no rule. */
        boolean counts(AnswerRow answer) {
            return population.containsKey(answer.participant()) && exclusion.get(answer.participant()).isEmpty();
        }
    }

    /** One condition's result, with what the comparisons between conditions need of it. */
    private record Scored(ConditionResult result, List<Statistics.Cluster> clusters, double[] accuracy,
            double[] responseTimes) {
    }

    private static Scored score(String condition, Included included, List<AnswerRow> counted,
            List<AnswerRow> answers) {
        List<ParticipantSummary> group = included.population().values().stream()
                .filter(p -> p.condition().equals(condition)).toList();
        Map<String, Integer> reasons = exclusionReasons(group, included.exclusion());
        List<AnswerRow> mine = counted.stream().filter(a -> a.condition().equals(condition)).toList();
        int correct = (int) mine.stream().filter(AnswerRow::correct).count();
        List<Statistics.Cluster> perParticipant = clusters(mine);
        double[] accuracy = accuracies(perParticipant);
        double[] rt = responseTimes(answers.stream().filter(a -> a.condition().equals(condition)
                && included.counts(a)).toList());
        List<AnswerRow> checks = answers.stream().filter(a -> a.condition().equals(condition)
                && included.population().containsKey(a.participant()) && a.itemKind() == ItemKind.ATTENTION).toList();
        int kept = (int) group.stream().filter(p -> included.exclusion().get(p.id()).isEmpty()).count();
        ConditionResult result = new ConditionResult(condition, group.size(), (int) group.stream()
                .filter(ParticipantSummary::completed).count(), kept, group.size() - kept, reasons,
                mine.size(), correct, Statistics.tInterval(accuracy), Statistics.wilson(correct, mine.size()),
                Statistics.againstChance(correct, mine.size()), checks.size(),
                (int) checks.stream().filter(AnswerRow::correct).count(), Statistics.quantile(rt, 0.5));
        return new Scored(result, perParticipant, accuracy, rt);
    }

    /** Why a condition's participants were excluded, each reason with its count (numbers left out, so they add up). */
    private static Map<String, Integer> exclusionReasons(List<ParticipantSummary> group,
            Map<Long, Optional<String>> exclusion) {
        Map<String, Integer> reasons = new TreeMap<>();
        group.forEach(p -> exclusion.get(p.id()).ifPresent(text -> Arrays.stream(text.split("; "))
                .map(reason -> reason.replaceAll("\\(median \\d+ ms\\)", "").replaceAll("failed \\d+ ", "failed ")
                        .replaceAll("flagged \\(.*\\)", "flagged")
                        .replace("checks", "check").trim())
                .forEach(reason -> reasons.merge(reason, 1, Integer::sum))));
        return reasons;
    }

    /** The response times of the answers that are not practice, sorted. */
    private static double[] responseTimes(List<AnswerRow> answers) {
        return answers.stream().filter(a -> a.itemKind() != ItemKind.PRACTICE && a.responseMs() != null)
                .mapToDouble(a -> a.responseMs().doubleValue()).sorted().toArray();
    }

    /**
     * Exploratory: per condition, the share of trial answers that chose the left option on screen (a side bias),
     * accuracy in the first and second half of each participant's sequence (fatigue or learning), and the response
     * times the browsers measured (median, and the mean of log seconds).
     */
    private static Table sideAndPosition(List<String> conditions, List<AnswerRow> trials) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(share("chose the left option", conditions, trials, a -> true, a -> "left".equals(a.chosenSide())));
        double middle = trials.stream().mapToInt(AnswerRow::trialIndex).average().orElse(0);
        rows.add(share("correct, first half of the sequence", conditions, trials, a -> a.trialIndex() < middle,
                AnswerRow::correct));
        rows.add(share("correct, second half of the sequence", conditions, trials, a -> a.trialIndex() >= middle,
                AnswerRow::correct));
        List<String> median = new ArrayList<>(List.of("median response time (browser)"));
        List<String> logMean = new ArrayList<>(List.of("mean log response time (browser), as seconds"));
        for (String condition : conditions) {
            double[] seconds = trials.stream().filter(a -> a.condition().equals(condition)
                    && a.clientResponseMs() != null && a.clientResponseMs() > 0)
                    .mapToDouble(a -> a.clientResponseMs() / 1000.0).sorted().toArray();
            median.add(seconds.length == 0 ? "no times" : String.format(Locale.ROOT, "%.1f s (%d)",
                    Statistics.quantile(seconds, 0.5), seconds.length));
            logMean.add(seconds.length == 0 ? "no times" : String.format(Locale.ROOT, "%.1f s", Math.exp(
                    Arrays.stream(seconds).map(Math::log).average().orElse(Double.NaN))));
        }
        rows.add(median);
        rows.add(logMean);
        return new Table(header("exploratory, all trial questions", conditions), rows);
    }

    private static List<String> share(String label, List<String> conditions, List<AnswerRow> answers,
            Predicate<AnswerRow> which, Predicate<AnswerRow> counted) {
        List<String> row = new ArrayList<>(List.of(label));
        for (String condition : conditions) {
            List<AnswerRow> mine = answers.stream().filter(a -> a.condition().equals(condition) && which.test(a))
                    .toList();
            long yes = mine.stream().filter(counted).count();
            row.add(mine.isEmpty() ? "no answers" : String.format(Locale.ROOT, "%.0f%% (%d/%d)",
                    100.0 * yes / mine.size(), yes, mine.size()));
        }
        return row;
    }

    private static List<FlowRow> flow(List<String> conditions, java.util.Collection<ParticipantSummary> population,
            Map<Long, Optional<String>> exclusion, List<AnswerRow> answers, ExclusionRules rules,
            List<String> primaryKinds) {
        ExclusionRules keeping = rules.keepingIncomplete();
        Map<Long, ParticipantSummary> byId = new HashMap<>();
        population.forEach(p -> byId.put(p.id(), p));
        List<FlowRow> rows = new ArrayList<>();
        for (String condition : conditions) {
            List<ParticipantSummary> group = population.stream().filter(p -> p.condition().equals(condition))
                    .toList();
            Map<String, Integer> reasons = new TreeMap<>();
            group.forEach(p -> exclusion.get(p.id()).ifPresent(text -> reasons.merge(text, 1, Integer::sum)));
            List<AnswerRow> kept = answers.stream().filter(a -> a.condition().equals(condition)
                    && a.itemKind() == ItemKind.TRIAL && primaryKinds.contains(a.questionKind())
                    && byId.containsKey(a.participant()) && keeping.exclusion(byId.get(a.participant())).isEmpty())
                    .toList();
            double[] instructionSeconds = group.stream().map(ParticipantSummary::instructionSeconds)
                    .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
            int included = (int) group.stream().filter(p -> exclusion.get(p.id()).isEmpty()).count();
            rows.add(new FlowRow(condition, group.size(),
                    (int) group.stream().filter(ParticipantSummary::readInstructions).count(),
                    (int) group.stream().filter(ParticipantSummary::passedComprehension).count(),
                    (int) group.stream().filter(ParticipantSummary::finishedPractice).count(),
                    (int) group.stream().filter(ParticipantSummary::completed).count(), group.size() - included,
                    reasons, included, Statistics.tInterval(accuracies(clusters(kept))),
                    instructionSeconds.length == 0 ? null : Statistics.quantile(instructionSeconds, 0.5)));
        }
        return rows;
    }

    private static DropOut dropOut(List<FlowRow> flow) {
        List<FlowRow> started = flow.stream().filter(r -> r.started() > 0).toList();
        int completed = started.stream().mapToInt(FlowRow::completed).sum();
        int all = started.stream().mapToInt(FlowRow::started).sum();
        if (started.size() < 2) {
            return new DropOut("needs sessions in two conditions", Double.NaN);
        }
        if (completed == 0 || completed == all) {
            return new DropOut(started.size() == 2 ? "Fisher's exact test" : "chi-square test", 1);
        }
        if (started.size() == 2) {
            FlowRow a = started.get(0);
            FlowRow b = started.get(1);
            return new DropOut("Fisher's exact test", Statistics.fisher(a.completed(), a.started() - a.completed(),
                    b.completed(), b.started() - b.completed()));
        }
        double chiSquare = 0;
        for (FlowRow row : started) {
            double expectedCompleted = (double) row.started() * completed / all;
            double expectedLeft = (double) row.started() * (all - completed) / all;
            chiSquare += Math.pow(row.completed() - expectedCompleted, 2) / expectedCompleted
                    + Math.pow(row.started() - row.completed() - expectedLeft, 2) / expectedLeft;
        }
        return new DropOut("chi-square test (" + (started.size() - 1) + " df)",
                Statistics.chiSquareSurvival(chiSquare, started.size() - 1));
    }

    /** Correct and total trial answers of each participant, in the order they come. */
    private static List<Statistics.Cluster> clusters(List<AnswerRow> answers) {
        Map<Long, int[]> perParticipant = new LinkedHashMap<>();
        answers.forEach(a -> {
            int[] n = perParticipant.computeIfAbsent(a.participant(), id -> new int[2]);
            n[0] += a.correct() ? 1 : 0;
            n[1]++;
        });
        return perParticipant.values().stream().map(n -> new Statistics.Cluster(n[0], n[1])).toList();
    }

    private static double[] accuracies(List<Statistics.Cluster> clusters) {
        return clusters.stream().mapToDouble(c -> (double) c.correct() / c.answers()).toArray();
    }

    /** Per condition, each primary question's accuracy over the included participants who answered it. */
    private static Map<String, Map<Long, Double>> itemAccuracies(List<AnswerRow> counted) {
        Map<String, Map<Long, Double>> accuracies = new HashMap<>();
        counted.stream().collect(Collectors.groupingBy(AnswerRow::condition, Collectors.groupingBy(
                AnswerRow::itemId, Collectors.averagingDouble(a -> a.correct() ? 1 : 0))))
                .forEach(accuracies::put);
        return accuracies;
    }

    /** SAG's accuracy minus the other condition's, per question both answered. */
    private static double[] itemDifferences(Map<Long, Double> sag, Map<Long, Double> other) {
        return sag.entrySet().stream().filter(e -> other.containsKey(e.getKey()))
                .mapToDouble(e -> e.getValue() - other.get(e.getKey())).toArray();
    }

    private static List<Comparison> comparisons(List<ConditionResult> results,
            Map<String, List<Statistics.Cluster>> clusters, Map<String, double[]> accuracies,
            Map<String, Map<Long, Double>> itemAccuracies, long seed, double margin) {
        Optional<ConditionResult> sag = results.stream().filter(r -> r.condition().equals(SAG)).findFirst();
        if (sag.isEmpty()) {
            return List.of();
        }
        List<ConditionResult> others = results.stream().filter(r -> !r.condition().equals(SAG)).toList();
        double[] minF = new double[others.size()];
        double[] welch = new double[others.size()];
        double[] mannWhitney = new double[others.size()];
        double[] fisher = new double[others.size()];
        double[] equivalence = new double[others.size()];
        for (int i = 0; i < others.size(); i++) {
            ConditionResult other = others.get(i);
            equivalence[i] = Statistics.equivalence(accuracies.get(SAG), accuracies.get(other.condition()), margin);
            minF[i] = Statistics.minF(accuracies.get(SAG), accuracies.get(other.condition()), itemDifferences(
                    itemAccuracies.getOrDefault(SAG, Map.of()), itemAccuracies.getOrDefault(other.condition(),
                            Map.of())));
            welch[i] = Statistics.welch(accuracies.get(SAG), accuracies.get(other.condition()));
            mannWhitney[i] = Statistics.mannWhitney(accuracies.get(SAG), accuracies.get(other.condition()));
            fisher[i] = sag.get().answers() == 0 || other.answers() == 0 ? Double.NaN
                    : Statistics.fisher(sag.get().correct(), sag.get().answers() - sag.get().correct(),
                            other.correct(), other.answers() - other.correct());
        }
        double[] minFHolm = Statistics.holm(minF);
        double[] welchHolm = Statistics.holm(welch);
        double[] mannWhitneyHolm = Statistics.holm(mannWhitney);
        double[] fisherHolm = Statistics.holm(fisher);
        double[] equivalenceHolm = Statistics.holm(equivalence);
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            ConditionResult other = others.get(i);
            comparisons.add(new Comparison(other.condition(), sag.get().participantAccuracy().estimate()
                    - other.participantAccuracy().estimate(), minF[i], minFHolm[i], welch[i], welchHolm[i],
                    mannWhitney[i],
                    mannWhitneyHolm[i], Statistics.clusterBootstrap(clusters.get(SAG),
                            clusters.get(other.condition()), RESAMPLES, seed + i), sag.get().correct(),
                    sag.get().answers() - sag.get().correct(), other.correct(), other.answers() - other.correct(),
                    fisher[i], fisherHolm[i], margin, equivalence[i], equivalenceHolm[i]));
        }
        return comparisons;
    }

    private static List<KindResult> byKind(List<String> conditions, List<AnswerRow> answers,
            List<String> primaryKinds) {
        List<KindResult> kinds = new ArrayList<>();
        for (QuestionKind kind : QuestionKind.MIXABLE) {
            List<AnswerRow> ofKind = answers.stream().filter(a -> kind.key().equals(a.questionKind())).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            Map<String, double[]> accuracy = new HashMap<>();
            List<KindCondition> rows = new ArrayList<>();
            for (String condition : conditions) {
                List<AnswerRow> mine = ofKind.stream().filter(a -> a.condition().equals(condition)).toList();
                List<Statistics.Cluster> clusters = clusters(mine);
                accuracy.put(condition, accuracies(clusters));
                rows.add(new KindCondition(condition, clusters.size(), mine.size(),
                        (int) mine.stream().filter(AnswerRow::correct).count(),
                        Statistics.tInterval(accuracy.get(condition))));
            }
            List<KindComparison> comparisons = new ArrayList<>();
            if (conditions.contains(SAG)) {
                List<String> others = conditions.stream().filter(c -> !c.equals(SAG)).toList();
                double[] p = others.stream().mapToDouble(o -> Statistics.welch(accuracy.get(SAG), accuracy.get(o)))
                        .toArray();
                double[] holm = Statistics.holm(p);
                double sagMean = Statistics.tInterval(accuracy.get(SAG)).estimate();
                for (int i = 0; i < others.size(); i++) {
                    comparisons.add(new KindComparison(others.get(i), sagMean
                            - Statistics.tInterval(accuracy.get(others.get(i))).estimate(), p[i], holm[i]));
                }
            }
            kinds.add(new KindResult(kind.key(), kind.forSagReaders(), primaryKinds.contains(kind.key()), rows,
                    comparisons));
        }
        return kinds;
    }

    private static Table byGap(List<String> conditions, List<AnswerRow> answers) {
        List<List<String>> rows = new ArrayList<>();
        for (int bin = 0; bin < GAP_BINS.length; bin++) {
            double low = bin == 0 ? 0 : GAP_BINS[bin];
            double high = bin + 1 < GAP_BINS.length ? GAP_BINS[bin + 1] : Double.POSITIVE_INFINITY;
            List<AnswerRow> inBin = answers.stream().filter(a -> a.gap() >= low && a.gap() < high).toList();
            rows.add(row(GAP_LABELS[bin], conditions, inBin));
        }
        return new Table(header("confidence gap", conditions), rows);
    }

    private static Table byImage(List<String> conditions, List<AnswerRow> answers) {
        Map<String, List<AnswerRow>> photos = new TreeMap<>();
        answers.forEach(a -> photos.computeIfAbsent(a.imageFile() + " (" + a.label() + ")", k -> new ArrayList<>())
                .add(a));
        List<List<String>> rows = new ArrayList<>();
        photos.forEach((photo, rowsOfPhoto) -> rows.add(row(photo, conditions, rowsOfPhoto)));
        return new Table(header("photo", conditions), rows);
    }

    private static List<String> header(String first, List<String> conditions) {
        List<String> header = new ArrayList<>(List.of(first));
        header.addAll(conditions);
        return header;
    }

    private static List<String> row(String label, List<String> conditions, List<AnswerRow> answers) {
        List<String> row = new ArrayList<>(List.of(label));
        for (String condition : conditions) {
            long n = answers.stream().filter(a -> a.condition().equals(condition)).count();
            long correct = answers.stream().filter(a -> a.condition().equals(condition) && a.correct()).count();
            row.add(n == 0 ? "" : String.format(Locale.ROOT, "%.0f%% (%d/%d)", 100.0 * correct / n, correct, n));
        }
        return row;
    }
}
