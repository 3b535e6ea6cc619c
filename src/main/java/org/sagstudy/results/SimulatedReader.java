package org.sagstudy.results;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Ties are broken at random.
 */
public final class SimulatedReader {

    public enum Strategy {
        RANDOM, SAG_READER, HEAT_MAP_READER;

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

    /** "left" or "right" for a question of {@code GET /next} and its explanation data. */
    public static String choose(Strategy strategy, QuestionView question, SeenExplanation seen, Random random) {
        Set<Integer> left = Set.copyOf(question.options().left().patches());
        Set<Integer> right = Set.copyOf(question.options().right().patches());
        double preference = switch (strategy) {
            case RANDOM -> 0;
            case SAG_READER -> sagPreference(left, right, seen);
            case HEAT_MAP_READER -> heat(left, seen) - heat(right, seen);
        };
        if (preference == 0) {
            return random.nextBoolean() ? "left" : "right";
        }
        return preference > 0 ? "left" : "right";
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
