package org.sagstudy.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

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
    public static String choose(Strategy strategy, JsonNode question, JsonNode seen, Random random) {
        Set<Integer> left = patches(question.at("/options/left/patches"));
        Set<Integer> right = patches(question.at("/options/right/patches"));
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
    static double sagPreference(Set<Integer> left, Set<Integer> right, JsonNode seen) {
        Map<Set<Integer>, Integer> nodes = new HashMap<>();
        Set<Integer> rootPatches = new HashSet<>();
        for (JsonNode node : seen.path("nodes")) {
            Set<Integer> patches = patches(node.get("patches"));
            nodes.put(patches, node.get("percent").asInt());
            if (node.path("root").asBoolean()) {
                rootPatches.addAll(patches);
            }
        }
        Integer l = nodes.get(left);
        Integer r = nodes.get(right);
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

    static double heat(Set<Integer> patches, JsonNode seen) {
        double sum = 0;
        for (int patch : patches) {
            sum += seen.path("heat7x7").path(patch).asDouble();
        }
        return sum;
    }

    private static int overlap(Set<Integer> a, Set<Integer> b) {
        return (int) a.stream().filter(b::contains).count();
    }

    private static Set<Integer> patches(JsonNode array) {
        Set<Integer> set = new HashSet<>();
        array.forEach(p -> set.add(p.asInt()));
        return set;
    }
}
