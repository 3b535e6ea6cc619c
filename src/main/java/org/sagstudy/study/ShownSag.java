package org.sagstudy.study;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.explain.Sag;

/**
 * The part of a stored SAG that participants see: its first {@code roots} roots, {@code depth} levels below them, and
 * for every node the {@code children} children with the largest confidence drop (the paper draws the informative
 * edges). Node ids are renumbered so the result is a SAG of its own.
 */
public final class ShownSag {

    private ShownSag() {
    }

    public static Sag of(Sag full, int roots, int depth, int children) {
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
            List<Sag.Edge> strongest = byParent.getOrDefault(next[0], List.of()).stream()
                    .sorted(Comparator.comparingDouble(Sag.Edge::drop).reversed()
                            .thenComparingInt(Sag.Edge::removedPatch))
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
