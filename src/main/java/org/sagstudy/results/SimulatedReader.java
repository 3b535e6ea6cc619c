package org.sagstudy.results;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.sagstudy.study.QuestionView;
import org.sagstudy.study.SeenExplanation;

/**
 * Rule-following participants: they show how much each explanation lets a reader get right.
 * <ul>
 * <li>random: a coin flip;</li>
 * <li>SAG reader: when an option is a node of the SAG shown, prefers the node with the higher percentage (a lone
 * node only when it keeps at least half of the confidence); otherwise the option showing more patches of the
 * roots;</li>
 * <li>heat-map reader: the option whose visible patches hold more heat.</li>
 * </ul>
 * And two that exploit the items instead of reading an explanation, to show that the primary questions give nothing
 * away: the node recogniser (the option that is a node of the SAG shown wins; it needs the SAG condition) and the
 * "more patches" reader (the option showing more of the photo wins; any condition). Ties are broken at random.
 */
public final class SimulatedReader {

    public enum Strategy {
        RANDOM, SAG_READER, HEAT_MAP_READER, NODE_RECOGNISER, MORE_PATCHES;

        /** The reader that suits what the condition shows. */
        public static Strategy forCondition(String condition) {
            return switch (condition) {
                case "sag" -> SAG_READER;
                case "gradcam", "igos" -> HEAT_MAP_READER;
                default -> RANDOM;
            };
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private SimulatedReader() {
    }

    public static Optional<Strategy> byKey(String key) {
        return Arrays.stream(Strategy.values()).filter(s -> s.key().equals(key)).findFirst();
    }

    /** "left" or "right" for a question of {@code GET /next} and its explanation data. */
    public static String choose(Strategy strategy, QuestionView question, SeenExplanation seen, Random random) {
        double preference = preference(strategy, Set.copyOf(question.options().left().patches()),
                Set.copyOf(question.options().right().patches()), seen);
        if (preference == 0) {
            return random.nextBoolean() ? "left" : "right";
        }
        return preference > 0 ? "left" : "right";
    }

    /**
     * The reader's expected score on a question: 1 when it picks the right option, 0 when the wrong one, one half
     * when a coin decides.
     */
    public static double expectedScore(Strategy strategy, Set<Integer> left, Set<Integer> right, boolean leftCorrect,
            SeenExplanation seen) {
        double preference = preference(strategy, left, right, seen);
        return preference == 0 ? 0.5 : (preference > 0) == leftCorrect ? 1 : 0;
    }

    /** Positive for left, negative for right, 0 when the strategy does not decide. */
    private static double preference(Strategy strategy, Set<Integer> left, Set<Integer> right,
            SeenExplanation seen) {
        return switch (strategy) {
            case RANDOM -> 0;
            case SAG_READER -> sagPreference(left, right, seen);
            case HEAT_MAP_READER -> heat(left, seen) - heat(right, seen);
            case NODE_RECOGNISER -> isNode(left, seen) - isNode(right, seen);
            case MORE_PATCHES -> left.size() - right.size();
        };
    }

    private static int isNode(Set<Integer> patches, SeenExplanation seen) {
        return seen.nodes() != null && seen.nodes().stream().anyMatch(n -> Set.copyOf(n.patches()).equals(patches))
                ? 1 : 0;
    }

    /** Positive for left, negative for right, 0 when the SAG does not decide. */
    static double sagPreference(Set<Integer> left, Set<Integer> right, SeenExplanation seen) {
        Map<Set<Integer>, Long> nodes = new HashMap<>();
        Set<Integer> rootPatches = new HashSet<>();
        for (SeenExplanation.SeenNode node : seen.nodes() == null ? List.<SeenExplanation.SeenNode>of()
                : seen.nodes()) {
            Set<Integer> patches = Set.copyOf(node.patches());
            nodes.put(patches, node.percent());
            if (node.root()) {
                rootPatches.addAll(patches);
            }
        }
        Long l = nodes.get(left);
        Long r = nodes.get(right);
        if (l != null && r != null) {
            return l - r;
        }
        if (l != null && l >= 50) {
            return 1;
        }
        if (r != null && r >= 50) {
            return -1;
        }
        return overlap(left, rootPatches) - overlap(right, rootPatches);
    }

    static double heat(Set<Integer> patches, SeenExplanation seen) {
        double sum = 0;
        for (int patch : patches) {
            sum += seen.heat7x7() == null ? 0 : seen.heat7x7()[patch];
        }
        return sum;
    }

    private static int overlap(Set<Integer> a, Set<Integer> b) {
        return (int) a.stream().filter(b::contains).count();
    }
}
