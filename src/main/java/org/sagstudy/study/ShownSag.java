package org.sagstudy.study;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.explain.Sag;
import org.sagstudy.explanations.StoredExplanation;

/**
 * The part of a stored SAG that participants see: its first {@code roots} roots and {@code depth} levels below them.
 * In the paper's style the authors' forest is kept as it is (up to three children per node, by patch index, while a
 * node keeps more than 40%); in the DAG style every node keeps the {@code children} children with the largest
 * confidence drop. Node ids are renumbered so the result is a SAG of its own.
 */
public final class ShownSag {

    private ShownSag() {
    }

    /** What a design shows of an explanation; empty when the explanation was stored without the paper's forest. */
    public static Optional<Sag> of(StoredExplanation explanation, StudyDesign design) {
        return of(explanation, design.sagStyle(), design.sagRoots(), design.sagDepth(), design.sagChildren());
    }

    /** {@code style}: {@code paper} or {@code dag} ({@link StudyDesign#sagStyle()}). */
    public static Optional<Sag> of(StoredExplanation explanation, String style, int roots, int depth, int children) {
        if (style.equals("paper")) {
            return explanation.toPaperSag().map(forest -> paper(forest, roots, depth));
        }
        return Optional.of(of(explanation.toSag(), roots, depth, children));
    }

    /** The paper's forest down to {@code depth} levels below its first {@code roots} roots, in the order built. */
    public static Sag paper(Sag forest, int roots, int depth) {
        return cut(forest, roots, depth, Integer.MAX_VALUE, Comparator.comparingInt(Sag.Edge::child));
    }

    /** The DAG view: every node's {@code children} children with the largest drops. */
    public static Sag of(Sag full, int roots, int depth, int children) {
        return cut(full, roots, depth, children, Comparator.comparingDouble(Sag.Edge::drop).reversed()
                .thenComparingInt(Sag.Edge::removedPatch));
    }

    private static Sag cut(Sag full, int roots, int depth, int children, Comparator<Sag.Edge> order) {
        Map<Integer, List<Sag.Edge>> byParent = new HashMap<>();
        for (Sag.Edge edge : full.edges()) {
            byParent.computeIfAbsent(edge.parent(), p -> new ArrayList<>()).add(edge);
        }
        Map<Integer, Integer> newId = new HashMap<>();
        List<Sag.Node> nodes = new ArrayList<>();
        List<Sag.Edge> edges = new ArrayList<>();
        Deque<int[]> queue = new ArrayDeque<>();
        full.nodes().stream().filter(Sag.Node::root).limit(roots).forEach(root -> {
            add(root, newId, nodes);
            queue.add(new int[] {root.id(), 0});
        });
        while (!queue.isEmpty()) {
            int[] next = queue.poll();
            if (next[1] >= depth) {
                continue;
            }
            List<Sag.Edge> strongest = byParent.getOrDefault(next[0], List.of()).stream().sorted(order)
                    .limit(children).toList();
            for (Sag.Edge edge : strongest) {
                if (!newId.containsKey(edge.child())) {
                    add(full.nodes().get(edge.child()), newId, nodes);
                    queue.add(new int[] {edge.child(), next[1] + 1});
                }
                edges.add(new Sag.Edge(newId.get(edge.parent()), newId.get(edge.child()), edge.removedPatch(),
                        edge.drop()));
            }
        }
        List<org.sagstudy.explain.PatchSet> shownRoots = nodes.stream().filter(Sag.Node::root).map(Sag.Node::patches)
                .toList();
        return new Sag(nodes, edges, shownRoots, false);
    }

    private static void add(Sag.Node node, Map<Integer, Integer> newId, List<Sag.Node> nodes) {
        newId.put(node.id(), nodes.size());
        nodes.add(new Sag.Node(nodes.size(), node.patches(), node.confidence(), node.relative(), node.root()));
    }
}
