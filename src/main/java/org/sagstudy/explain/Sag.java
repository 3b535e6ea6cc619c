package org.sagstudy.explain;

import java.util.List;
import java.util.StringJoiner;

/**
 * A Structured Attention Graph: roots are minimal sufficient explanations; a child is its parent minus one patch.
 * Node ids are positions in {@link #nodes()}. {@code truncated} says the node limit stopped the expansion early.
 */
public record Sag(List<Node> nodes, List<Edge> edges, List<PatchSet> roots, boolean truncated) {

    public record Node(int id, PatchSet patches, double confidence, double relative, boolean root) {
    }

    /** {@code drop} is the parent's relative confidence minus the child's. */
    public record Edge(int parent, int child, int removedPatch, double drop) {
    }

    /** The roots as a disjunction of conjunctions, e.g. {@code P11 & P30 | P10 & P30}. */
    public String dnf() {
        StringJoiner joiner = new StringJoiner(" | ");
        for (PatchSet root : roots) {
            joiner.add(root.toConjunction());
        }
        return joiner.toString();
    }

    /** The paper's node shading: light above 90% of p_full, grey above 50%, dark grey below. */
    public static String boxFill(double relative) {
        return relative > 0.9 ? "#f5f5f5" : relative > 0.5 ? "#bdbdbd" : "#616161";
    }

    /** Text on a node's box: dark on the light shades, white on dark grey. */
    public static boolean darkText(double relative) {
        return relative > 0.5;
    }

    /** GraphViz DOT: one box per node labelled with its patches and its confidence in percent of p_full. */
    public String toDot() {
        StringBuilder dot = new StringBuilder("digraph sag {\n  rankdir=TB;\n  node [shape=box, style=filled];\n");
        for (Node node : nodes) {
            String fill = boxFill(node.relative());
            dot.append(String.format(java.util.Locale.ROOT, "  n%d [label=\"%s\\n%.0f%%\", fillcolor=\"%s\"%s];%n",
                    node.id(), node.patches().toConjunction(), node.relative() * 100, fill,
                    darkText(node.relative()) ? "" : ", fontcolor=white"));
        }
        for (Edge edge : edges) {
            dot.append(String.format(java.util.Locale.ROOT, "  n%d -> n%d [label=\"-P%d\"];%n", edge.parent(),
                    edge.child(), edge.removedPatch()));
        }
        return dot.append("}\n").toString();
    }
}
