package org.sagstudy.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.sagstudy.explain.PatchSet;

/**
 * What a study's trial questions give away before anyone sees an explanation, computed from the items' stored sets
 * and heat maps (nothing simulated): per question kind, how often the SAG node is the right answer, the gaps and
 * visible patches, and the accuracy of simple strategies on these exact items. A strategy that ties scores one half
 * (a coin decides). A design whose primary items a rule that needs no explanation ("more patches wins") solves
 * better than {@link #PATCH_RULE_LIMIT} from one half cannot open.
 *
 * @param kinds one row per question kind asked, then the primary kinds pooled ({@code primary})
 */
public record ItemAudit(List<KindAudit> kinds) {

    /** How far "more patches wins" may stray from chance on the primary kinds. */
    public static final double PATCH_RULE_LIMIT = 0.10;

    public static final String PRIMARY_ROW = "primary";

    /** The strategies, in the order every table shows them. */
    public enum Strategy {
        MORE_PATCHES("more patches wins"), MORE_GRADCAM_HEAT("more Grad-CAM heat wins"),
        MORE_IGOS_HEAT("more I-GOS heat wins"), SAG_NODE("the SAG node wins"), CHANCE("chance");

        private final String title;

        Strategy(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A trial question with what the strategies read: each option's patches, whether it is a node of the SAG shown,
     * and the heat of its visible patches in each heat map (NaN when the photo has no such map).
     */
    public record AuditedItem(QuestionKind kind, PatchSet left, PatchSet right, Side correctSide, boolean leftInSag,
            boolean rightInSag, double gap, double leftGradcamHeat, double rightGradcamHeat, double leftIgosHeat,
            double rightIgosHeat) {

        /** Sum of a pooled 7x7 heat map over a set's patches; NaN without a map. */
        public static double heat(float[] pooled, PatchSet set) {
            if (pooled == null) {
                return Double.NaN;
            }
            double sum = 0;
            for (int patch : set.toList()) {
                sum += pooled[patch];
            }
            return sum;
        }

        /** 1 when the strategy picks the right option, 0 when the wrong one, 0.5 on a tie, NaN when it cannot. */
        public double score(Strategy strategy) {
            return switch (strategy) {
                case MORE_PATCHES -> score(left.size() - right.size());
                case MORE_GRADCAM_HEAT -> score(leftGradcamHeat - rightGradcamHeat);
                case MORE_IGOS_HEAT -> score(leftIgosHeat - rightIgosHeat);
                case SAG_NODE -> leftInSag == rightInSag ? 0.5 : score(leftInSag ? 1 : -1);
                case CHANCE -> 0.5;
            };
        }

        /** Whether exactly one option is a node (a node-recogniser can tell them apart), and the node is right. */
        public Optional<Boolean> nodeCorrect() {
            if (leftInSag == rightInSag) {
                return Optional.empty();
            }
            return Optional.of(leftInSag == (correctSide == Side.LEFT));
        }

        public double visiblePatches() {
            return (left.size() + right.size()) / 2.0;
        }

        private double score(double leftMinusRight) {
            if (Double.isNaN(leftMinusRight)) {
                return Double.NaN;
            }
            if (leftMinusRight == 0) {
                return 0.5;
            }
            return (leftMinusRight > 0) == (correctSide == Side.LEFT) ? 1 : 0;
        }
    }

    /**
     * @param nodeQuestions questions where exactly one option is a node of the SAG shown
     * @param nodeCorrectShare share of those where the node is the right answer (NaN without any)
     * @param gapQuartiles confidence gap: 25th, 50th and 75th percentile
     * @param patchQuartiles patches visible per option (mean of the two options): quartiles
     * @param strategies accuracy of each strategy on these items (NaN where it cannot be applied)
     */
    public record KindAudit(String kind, boolean primary, int questions, int nodeQuestions, double nodeCorrectShare,
            double[] gapQuartiles, double[] patchQuartiles, Map<String, Double> strategies) {

        public double strategy(Strategy strategy) {
            return strategies.get(strategy.key());
        }
    }

    public static ItemAudit of(List<AuditedItem> items, List<QuestionKind> primaryKinds) {
        List<KindAudit> rows = new ArrayList<>();
        for (QuestionKind kind : QuestionKind.MIXABLE) {
            List<AuditedItem> ofKind = items.stream().filter(i -> i.kind() == kind).toList();
            if (!ofKind.isEmpty()) {
                rows.add(row(kind.key(), primaryKinds.contains(kind), ofKind));
            }
        }
        List<AuditedItem> primary = items.stream().filter(i -> primaryKinds.contains(i.kind())).toList();
        if (!primary.isEmpty()) {
            rows.add(row(PRIMARY_ROW, true, primary));
        }
        return new ItemAudit(rows);
    }

    private static KindAudit row(String kind, boolean primary, List<AuditedItem> items) {
        List<Boolean> node = items.stream().flatMap(i -> i.nodeCorrect().stream()).toList();
        Map<String, Double> strategies = new LinkedHashMap<>();
        for (Strategy strategy : Strategy.values()) {
            strategies.put(strategy.key(), mean(items, i -> i.score(strategy)));
        }
        return new KindAudit(kind, primary, items.size(), node.size(),
                node.isEmpty() ? Double.NaN : node.stream().filter(b -> b).count() / (double) node.size(),
                quartiles(items.stream().mapToDouble(AuditedItem::gap).toArray()),
                quartiles(items.stream().mapToDouble(AuditedItem::visiblePatches).toArray()), strategies);
    }

    /** The mean, or NaN when any item cannot be scored (a photo without that heat map). */
    private static double mean(List<AuditedItem> items, ToDoubleFunction<AuditedItem> score) {
        return items.stream().mapToDouble(score).average().orElse(Double.NaN);
    }

    /** Linear-interpolation quartiles (R's type 7, numpy's default). */
    static double[] quartiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75)};
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /** The column titles of {@link #rows()}. */
    public static List<String> header() {
        List<String> header = new ArrayList<>(List.of("kind", "primary", "questions", "SAG node right",
                "gap quartiles", "visible patches quartiles"));
        Arrays.stream(Strategy.values()).map(Strategy::title).forEach(header::add);
        return header;
    }

    /** The audit as formatted cells, one row per kind, then the primary kinds pooled. */
    public List<List<String>> rows() {
        return kinds.stream().map(row -> {
            List<String> cells = new ArrayList<>(List.of(row.kind(), row.primary() ? "yes" : "no",
                    Integer.toString(row.questions()), row.nodeQuestions() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.0f%% of %d", 100 * row.nodeCorrectShare(),
                                    row.nodeQuestions()),
                    quartiles(row.gapQuartiles(), "%.2f"), quartiles(row.patchQuartiles(), "%.1f")));
            for (Strategy strategy : Strategy.values()) {
                double accuracy = row.strategy(strategy);
                cells.add(Double.isNaN(accuracy) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * accuracy));
            }
            return cells;
        }).toList();
    }

    private static String quartiles(double[] q, String format) {
        return String.format(Locale.ROOT, format + " / " + format + " / " + format, q[0], q[1], q[2]);
    }

    public Optional<KindAudit> primaryRow() {
        return kinds.stream().filter(k -> k.kind().equals(PRIMARY_ROW)).findFirst();
    }

    /**
     * Why these items cannot be the registered study: "more patches wins" far from chance on the primary kinds, or
     * primary kinds whose gaps differ (their medians more than 0.05 apart), which would make the kinds differ in
     * difficulty as well as in what they ask.
     */
    public List<String> refusals() {
        List<String> refusals = new ArrayList<>();
        primaryRow().ifPresent(primary -> {
            double patches = primary.strategy(Strategy.MORE_PATCHES);
            if (Math.abs(patches - 0.5) > PATCH_RULE_LIMIT) {
                refusals.add(String.format(Locale.ROOT, "\"more patches wins\" answers %.0f%% of the primary "
                        + "questions right without any explanation (allowed: 50%% ± %.0f): choose other primary kinds "
                        + "or photos", 100 * patches, 100 * PATCH_RULE_LIMIT));
            }
        });
        List<KindAudit> primaryKinds = kinds.stream().filter(k -> k.primary() && !k.kind().equals(PRIMARY_ROW))
                .toList();
        if (primaryKinds.size() > 1) {
            double low = primaryKinds.stream().mapToDouble(k -> k.gapQuartiles()[1]).min().orElse(0);
            double high = primaryKinds.stream().mapToDouble(k -> k.gapQuartiles()[1]).max().orElse(0);
            if (high - low > 0.05) {
                refusals.add(String.format(Locale.ROOT, "the primary kinds differ in difficulty: their median "
                        + "confidence gaps are %.2f to %.2f (at most 0.05 apart): keep one primary kind or raise "
                        + "the minimum gap", low, high));
            }
        }
        return refusals;
    }
}
