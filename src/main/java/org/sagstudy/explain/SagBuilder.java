package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the SAG below the chosen roots, layer by layer (each layer's children evaluated as one request). A node is
 * expanded when its relative confidence exceeds the threshold and it has at least two patches.
 *
 * <p>Default: a DAG, every patch of a node may be removed and a set reached twice is one node. Reference: the authors'
 * forest, removing only the first three patches (by index) of a node, with no merging, and with the expansion test
 * made on the truncated integer percentage of the rounded value, as their drawing code does.
 */
public final class SagBuilder {

    private static final int REFERENCE_CHILDREN = 3;

    private SagBuilder() {
    }

    /**
     * @param maxNodes the graph stops growing before it would exceed this many nodes; a node is expanded with all its
     *                 children or not at all, and {@link Sag#truncated()} tells whether some expansion was left out
     */
    public static Sag build(List<PatchSet> roots, MaskedConfidence f, double expandThreshold, SearchMode mode,
            int maxNodes) {
        Graph graph = new Graph(f, mode == SearchMode.REFERENCE);
        List<Integer> layer = graph.addRoots(roots);
        boolean truncated = false;
        while (!layer.isEmpty() && !truncated) {
            Children children = graph.childrenOf(layer, expandThreshold, maxNodes);
            truncated = children.truncated();
            layer = graph.add(children);
        }
        return new Sag(List.copyOf(graph.nodes), List.copyOf(graph.edges), List.copyOf(roots), truncated);
    }

    /**
     * A layer's children in order, each with its parent's id and the patch it lost; {@code truncated} when the node
     * budget stopped the layer (the children chosen before that are still added).
     */
    private record Children(List<int[]> parentAndPatch, List<PatchSet> sets, boolean truncated) {
    }

    /** The graph as it grows: nodes by id, edges, and (DAG only) the node of each set reached so far. */
    private static final class Graph {

        private final List<Sag.Node> nodes = new ArrayList<>();
        private final List<Sag.Edge> edges = new ArrayList<>();
        private final Map<PatchSet, Integer> ids = new HashMap<>();
        private final MaskedConfidence f;
        private final boolean reference;

        Graph(MaskedConfidence f, boolean reference) {
            this.f = f;
            this.reference = reference;
        }

        /** The roots as the first layer (the DAG keeps one node per set). */
        List<Integer> addRoots(List<PatchSet> roots) {
            List<Integer> layer = new ArrayList<>();
            double[] rootValues = f.confidences(roots);
            for (int i = 0; i < roots.size(); i++) {
                PatchSet root = roots.get(i);
                if (!reference && ids.containsKey(root)) {
                    continue;
                }
                int id = addNode(root, rootValues[i], true);
                ids.put(root, id);
                layer.add(id);
            }
            return layer;
        }

        /** The children of the layer's expandable nodes, a node with all its children or not at all. */
        Children childrenOf(List<Integer> layer, double expandThreshold, int maxNodes) {
            List<int[]> pending = new ArrayList<>();
            List<PatchSet> children = new ArrayList<>();
            Set<PatchSet> newSets = new HashSet<>();
            for (int id : layer) {
                Sag.Node node = nodes.get(id);
                if (!expands(node, expandThreshold, reference)) {
                    continue;
                }
                int[] patches = node.patches().indices();
                int removable = reference ? Math.min(REFERENCE_CHILDREN, patches.length) : patches.length;
                List<PatchSet> own = new ArrayList<>(removable);
                Set<PatchSet> ownNew = new HashSet<>();
                for (int i = 0; i < removable; i++) {
                    PatchSet child = node.patches().without(patches[i]);
                    own.add(child);
                    if (reference || (!ids.containsKey(child) && !newSets.contains(child))) {
                        ownNew.add(child);
                    }
                }
                int added = reference ? own.size() : ownNew.size();
                if (nodes.size() + (reference ? children.size() : newSets.size()) + added > maxNodes) {
                    return new Children(pending, children, true);
                }
                newSets.addAll(ownNew);
                for (int i = 0; i < removable; i++) {
                    pending.add(new int[] {id, patches[i]});
                    children.add(own.get(i));
                }
            }
            return new Children(pending, children, false);
        }

        /** Evaluates the children as one request, adds their nodes and edges, and returns the new nodes' ids. */
        List<Integer> add(Children children) {
            double[] values = f.confidences(children.sets());
            List<Integer> nextLayer = new ArrayList<>();
            for (int i = 0; i < children.sets().size(); i++) {
                PatchSet child = children.sets().get(i);
                Integer childId = reference ? null : ids.get(child);
                if (childId == null) {
                    childId = addNode(child, values[i], false);
                    ids.put(child, childId);
                    nextLayer.add(childId);
                }
                Sag.Node parent = nodes.get(children.parentAndPatch().get(i)[0]);
                edges.add(new Sag.Edge(parent.id(), childId, children.parentAndPatch().get(i)[1],
                        parent.relative() - nodes.get(childId).relative()));
            }
            return nextLayer;
        }

        private int addNode(PatchSet patches, double confidence, boolean root) {
            int id = nodes.size();
            nodes.add(new Sag.Node(id, patches, confidence, confidence / f.fullProbability(), root));
            return id;
        }
    }

    private static boolean expands(Sag.Node node, double threshold, boolean reference) {
        if (node.patches().size() < 2) {
            return false;
        }
        if (reference) {
            // np.around(rel, 3) then int(x * 100): e.g. 0.4009 -> 0.401 -> 40, which is not above 40.
            double rounded = Math.rint(node.relative() * 1000) / 1000;
            return (int) (rounded * 100) > Math.round(threshold * 100);
        }
        return node.relative() > threshold;
    }
}
