package org.sagstudy.study;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * How many questions of each kind each photo gets: as many of the design's quotas as the photos allow, each photo
 * giving at most its number of questions and, of a kind, at most the pairs it offers. The kinds are first dealt out in
 * turn, so that they spread over the photos (a kind tied to a few photos would confound kind with photo); then the
 * deal is completed to a maximum flow (source to kind: its quota; kind to photo: the pairs offered; photo to sink:
 * questions per photo), so a kind only a few photos can offer is not used up by photos that had other choices.
 */
final class KindAssignment {

    private KindAssignment() {
    }

    /**
     * @param offered {@code offered[photo][kind]}: distinct pairs of the kind the photo offers
     * @param quota   {@code quota[kind]}: questions of the kind wanted across the photos
     * @return {@code counts[photo][kind]}
     */
    static int[][] assign(int[][] offered, int[] quota, int perPhoto) {
        int photos = offered.length;
        int kinds = quota.length;
        int source = 0;
        int sink = 1 + kinds + photos;
        int[][] capacity = capacities(offered, quota, perPhoto);
        int[][] flow = dealtFlow(offered, quota, perPhoto);
        int[] parent = new int[sink + 1];
        while (augmentingPath(capacity, flow, source, sink, parent)) {
            int bottleneck = Integer.MAX_VALUE;
            for (int v = sink; v != source; v = parent[v]) {
                bottleneck = Math.min(bottleneck, capacity[parent[v]][v] - flow[parent[v]][v]);
            }
            for (int v = sink; v != source; v = parent[v]) {
                flow[parent[v]][v] += bottleneck;
                flow[v][parent[v]] -= bottleneck;
            }
        }
        int[][] counts = new int[photos][kinds];
        for (int p = 0; p < photos; p++) {
            for (int k = 0; k < kinds; k++) {
                counts[p][k] = Math.max(0, flow[1 + k][1 + kinds + p]);
            }
        }
        return counts;
    }

    /** The network: source (0) to each kind (its quota), kind to photo (what the photo offers), photo to sink. */
    private static int[][] capacities(int[][] offered, int[] quota, int perPhoto) {
        int photos = offered.length;
        int kinds = quota.length;
        int sink = 1 + kinds + photos;
        int[][] capacity = new int[sink + 1][sink + 1];
        for (int k = 0; k < kinds; k++) {
            capacity[0][1 + k] = quota[k];
            for (int p = 0; p < photos; p++) {
                capacity[1 + k][1 + kinds + p] = Math.min(offered[p][k], perPhoto);
            }
        }
        for (int p = 0; p < photos; p++) {
            capacity[1 + kinds + p][sink] = perPhoto;
        }
        return capacity;
    }

    /** The flow of the round-robin deal, which the augmenting paths then complete. */
    private static int[][] dealtFlow(int[][] offered, int[] quota, int perPhoto) {
        int photos = offered.length;
        int kinds = quota.length;
        int sink = 1 + kinds + photos;
        int[][] flow = new int[sink + 1][sink + 1];
        int[] left = quota.clone();
        for (int p = 0; p < photos; p++) {
            for (int q = 0; q < perPhoto; q++) {
                int kind = dealt(left, offered[p], flow, p, kinds, p + q);
                if (kind >= 0) {
                    left[kind]--;
                    push(flow, 0, 1 + kind);
                    push(flow, 1 + kind, 1 + kinds + p);
                    push(flow, 1 + kinds + p, sink);
                }
            }
        }
        return flow;
    }

    /**
     * The kind a photo's next question gets in the deal: the one most still wanted that the photo can still offer,
     * ties going round the kinds from {@code rotation}; -1 when none.
     */
    private static int dealt(int[] left, int[] offered, int[][] flow, int photo, int kinds, int rotation) {
        int best = -1;
        for (int i = 0; i < kinds; i++) {
            int k = Math.floorMod(rotation + i, kinds);
            if (left[k] > 0 && flow[1 + k][1 + kinds + photo] < offered[k] && (best < 0 || left[k] > left[best])) {
                best = k;
            }
        }
        return best;
    }

    private static void push(int[][] flow, int from, int to) {
        flow[from][to]++;
        flow[to][from]--;
    }

    /** Breadth-first (Edmonds-Karp): the shortest path with spare capacity, recorded in {@code parent}. */
    private static boolean augmentingPath(int[][] capacity, int[][] flow, int source, int sink, int[] parent) {
        Arrays.fill(parent, -1);
        parent[source] = source;
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(source);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int v = 0; v < capacity.length; v++) {
                if (parent[v] == -1 && capacity[u][v] - flow[u][v] > 0) {
                    parent[v] = u;
                    if (v == sink) {
                        return true;
                    }
                    queue.add(v);
                }
            }
        }
        return false;
    }
}
