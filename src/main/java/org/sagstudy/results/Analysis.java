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
import org.sagstudy.study.ItemKind;

/**
 * The paper's comparison from a study's answers: accuracy per condition on the trial items with 95% Wilson
 * intervals and a test against chance, SAG against every other condition (participant-cluster bootstrap interval of
 * the difference, Fisher's exact test on the answer counts, Holm-corrected), accuracy by confidence gap and by photo,
 * response times and attention checks. Exclusions follow {@link ExclusionRules}.
 */
public record Analysis(ExclusionRules rules, List<ConditionResult> conditions, List<Comparison> comparisons,
        Table byGap, Table byImage, Map<String, double[]> responseTimes) {

    public record ConditionResult(String condition, int started, int completed, int included, int excluded,
            Map<String, Integer> exclusionReasons, int answers, int correct, Statistics.Interval accuracy,
            double pAgainstChance, int attentionChecks, int attentionPassed, double medianResponseMs) {

        public String reasons() {
            return exclusionReasons.isEmpty() ? "" : exclusionReasons.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
        }

        public double attentionPassRate() {
            return attentionChecks == 0 ? Double.NaN : (double) attentionPassed / attentionChecks;
        }
    }

    public record Comparison(String against, Statistics.Interval difference, int sagCorrect, int sagWrong,
            int otherCorrect, int otherWrong, double p, double pHolm) {
    }

    /** A table of formatted cells: one row per bin or photo, one column per condition. */
    public record Table(List<String> columns, List<List<String>> rows) {
    }

    static final double[] GAP_BINS = {0.2, 0.4, 0.6, 0.8};
    static final String[] GAP_LABELS = {"below 0.4", "0.4 to 0.6", "0.6 to 0.8", "0.8 and above"};
    static final int RESAMPLES = 2000;

    public static Analysis of(List<String> conditionOrder, List<ParticipantSummary> everyone, List<AnswerRow> answers,
            ExclusionRules rules, long seed) {
        List<String> conditions = new ArrayList<>(conditionOrder);
        everyone.stream().map(ParticipantSummary::condition).filter(c -> !conditions.contains(c)).distinct()
                .forEach(conditions::add);
        Map<Long, ParticipantSummary> population = new LinkedHashMap<>();
        Map<Long, Optional<String>> exclusion = new HashMap<>();
        for (ParticipantSummary p : everyone) {
            if (rules.population().includes(p.kind())) {
                population.put(p.id(), p);
                exclusion.put(p.id(), rules.exclusion(p));
            }
        }
        List<AnswerRow> counted = answers.stream().filter(a -> population.containsKey(a.participant())
                && exclusion.get(a.participant()).isEmpty() && a.itemKind() == ItemKind.TRIAL).toList();

        List<ConditionResult> results = new ArrayList<>();
        Map<String, List<Statistics.Cluster>> clusters = new HashMap<>();
        Map<String, double[]> times = new LinkedHashMap<>();
        for (String condition : conditions) {
            List<ParticipantSummary> group = population.values().stream()
                    .filter(p -> p.condition().equals(condition)).toList();
            Map<String, Integer> reasons = new TreeMap<>();
            group.forEach(p -> exclusion.get(p.id()).ifPresent(text -> Arrays.stream(text.split("; "))
                    .map(reason -> reason.replaceAll("\\(median \\d+ ms\\)", "").replaceAll("failed \\d+ ", "failed ")
                            .replaceAll("flagged \\(.*\\)", "flagged")
                            .replace("checks", "check").trim())
                    .forEach(reason -> reasons.merge(reason, 1, Integer::sum))));
            List<AnswerRow> mine = counted.stream().filter(a -> a.condition().equals(condition)).toList();
            int correct = (int) mine.stream().filter(AnswerRow::correct).count();
            Map<Long, int[]> perParticipant = new LinkedHashMap<>();
            mine.forEach(a -> {
                int[] n = perParticipant.computeIfAbsent(a.participant(), id -> new int[2]);
                n[0] += a.correct() ? 1 : 0;
                n[1]++;
            });
            clusters.put(condition, perParticipant.values().stream().map(n -> new Statistics.Cluster(n[0], n[1]))
                    .toList());
            double[] rt = answers.stream().filter(a -> a.condition().equals(condition)
                    && population.containsKey(a.participant()) && exclusion.get(a.participant()).isEmpty()
                    && a.itemKind() != ItemKind.PRACTICE && a.responseMs() != null)
                    .mapToDouble(a -> a.responseMs().doubleValue()).sorted().toArray();
            times.put(condition, rt);
            List<AnswerRow> checks = answers.stream().filter(a -> a.condition().equals(condition)
                    && population.containsKey(a.participant()) && a.itemKind() == ItemKind.ATTENTION).toList();
            int included = (int) group.stream().filter(p -> exclusion.get(p.id()).isEmpty()).count();
            results.add(new ConditionResult(condition, group.size(), (int) group.stream()
                    .filter(ParticipantSummary::completed).count(), included, group.size() - included, reasons,
                    mine.size(), correct, Statistics.wilson(correct, mine.size()),
                    Statistics.againstChance(correct, mine.size()), checks.size(),
                    (int) checks.stream().filter(AnswerRow::correct).count(), Statistics.quantile(rt, 0.5)));
        }

        List<Comparison> comparisons = new ArrayList<>();
        Optional<ConditionResult> sag = results.stream().filter(r -> r.condition().equals("sag")).findFirst();
        if (sag.isPresent()) {
            List<ConditionResult> others = results.stream().filter(r -> !r.condition().equals("sag")).toList();
            double[] p = new double[others.size()];
            for (int i = 0; i < others.size(); i++) {
                ConditionResult other = others.get(i);
                p[i] = sag.get().answers() == 0 || other.answers() == 0 ? Double.NaN
                        : Statistics.fisher(sag.get().correct(), sag.get().answers() - sag.get().correct(),
                                other.correct(), other.answers() - other.correct());
            }
            double[] adjusted = Statistics.holm(p);
            for (int i = 0; i < others.size(); i++) {
                ConditionResult other = others.get(i);
                comparisons.add(new Comparison(other.condition(), Statistics.clusterBootstrap(clusters.get("sag"),
                        clusters.get(other.condition()), RESAMPLES, seed + i), sag.get().correct(),
                        sag.get().answers() - sag.get().correct(), other.correct(),
                        other.answers() - other.correct(), p[i], adjusted[i]));
            }
        }
        return new Analysis(rules, results, comparisons, byGap(conditions, counted), byImage(conditions, counted),
                times);
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
