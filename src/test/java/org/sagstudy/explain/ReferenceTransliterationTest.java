package org.sagstudy.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reference mode against a line-by-line transliteration of the authors' search.py
 * ({@code beamSearch_topKSuccessors_roots}, {@code remove_extra_patches}) on random synthetic classifiers: both must
 * find the same explanations in the same order.
 */
class ReferenceTransliterationTest {

    private static final PatchGrid GRID = PatchGrid.paper();
    private static final ImageTensor WHITE = PatchRuleClassifier.whiteImage(224);

    private record Candidate(PatchSet set, double probability) {
    }

    /** The authors' loop, as they wrote it: lists, duplicates, a break after the beam exceeds its width. */
    private static List<PatchSet> referenceSearch(MaskedConfidence f, int[] ranking, int beamWidth, int successors,
            int maxRoots, double threshold) {
        return referenceSearch(f, (member, q) -> {
            List<Integer> out = new ArrayList<>();
            for (int patch : ranking) {
                if (out.size() == Math.min(q, 49 - member.size())) {
                    break;
                }
                if (!member.contains(patch)) {
                    out.add(patch);
                }
            }
            return out;
        }, beamWidth, successors, maxRoots, threshold);
    }

    /** beamSearch_get_successor_indices: np.argsort of the mask with the member's patches set to 2, first q. */
    private static List<Integer> argsortSuccessors(float[] mask, PatchSet member, int q) {
        float[] copy = mask.clone();
        for (int p : member.indices()) {
            copy[p] = 2;
        }
        int[] sorted = NumpyArgsort.argsort(copy);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < Math.min(q, 49 - member.size()); i++) {
            out.add(sorted[i]);
        }
        return out;
    }

    private static List<PatchSet> referenceSearch(MaskedConfidence f,
            java.util.function.BiFunction<PatchSet, Integer, List<Integer>> successorsOf, int beamWidth, int successors,
            int maxRoots, double threshold) {
        double needed = threshold * f.fullProbability();
        List<PatchSet> beam = new ArrayList<>(List.of(PatchSet.EMPTY));
        List<PatchSet> roots = new ArrayList<>();
        for (int level = 0; level < 49; level++) {
            List<Candidate> all = new ArrayList<>();
            for (PatchSet member : beam) {
                for (int patch : successorsOf.apply(member, successors)) {
                    all.add(new Candidate(member.with(patch), f.confidence(member.with(patch))));
                }
            }
            if (all.isEmpty()) {
                break;
            }
            all.sort(Comparator.comparingDouble(Candidate::probability).reversed());
            List<PatchSet> next = new ArrayList<>();
            for (Candidate candidate : all) {
                if (candidate.probability() > needed) {
                    PatchSet minimal = removeExtraPatches(candidate.set(), f, needed);
                    if (!roots.contains(minimal)) {
                        roots.add(minimal);
                    }
                } else {
                    next.add(candidate.set());
                    if (next.size() > beamWidth) {
                        break;
                    }
                }
            }
            if (roots.size() > maxRoots) {
                break;
            }
            beam = next;
        }
        return roots;
    }

    private static PatchSet removeExtraPatches(PatchSet set, MaskedConfidence f, double needed) {
        boolean removed = true;
        while (removed) {
            removed = false;
            for (int patch : set.indices()) {
                PatchSet smaller = set.without(patch);
                if (f.confidence(smaller) > needed) {
                    set = smaller;
                    removed = true;
                }
            }
        }
        return set;
    }

    @Test
    void referenceModeFindsWhatTheAuthorsLoopFinds() {
        Random random = new Random(2021);
        int rootsSeen = 0;
        for (int trial = 0; trial < 25; trial++) {
            double[] weight = new double[49];
            for (int i = 0; i < 49; i++) {
                weight[i] = random.nextDouble() < 0.2 ? 0.15 + 0.25 * random.nextDouble() : 0.02 * random.nextDouble();
            }
            long salt = random.nextLong();
            // additive evidence, capped, with a small set-specific wobble so that ties and non-monotonicity occur
            PatchRuleClassifier classifier = new PatchRuleClassifier(GRID, visible -> {
                if (visible.size() == 49) {
                    return 0.95;
                }
                double sum = 0;
                for (int p : visible.indices()) {
                    sum += weight[p];
                }
                double wobble = ((Long.hashCode(visible.bits() * 0x9E3779B97F4A7C15L ^ salt) & 0xff) / 255.0) * 0.03;
                return Math.min(0.97, sum + wobble);
            });
            int[] ranking = new int[49];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 49; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, random);
            for (int i = 0; i < 49; i++) {
                ranking[i] = order.get(i);
            }
            int beamWidth = 1 + random.nextInt(4);
            Prediction prediction = Prediction.of(classifier, WHITE);
            MaskedConfidence f = new MaskedConfidence(classifier, WHITE, Baseline.BLACK.imageFor(WHITE), GRID,
                    prediction, new EvaluationStats());
            SearchParameters parameters =
                    new SearchParameters(beamWidth, 15, 10, 0.9, 49, SearchMode.REFERENCE, Minimality.GREEDY);
            List<PatchSet> expected = referenceSearch(f, ranking, beamWidth, 15, 10, 0.9);
            BeamSearch.Result ours = BeamSearch.findExplanations(f, ranking, parameters);
            assertEquals(expected, ours.roots().stream().map(BeamSearch.Root::patches).toList(),
                    "trial " + trial + ", b = " + beamWidth);
            rootsSeen += expected.size();
            // a float32 I-GOS mask as the reference holds it: most values tied at 1.0 or a few ulps below
            float[] mask = new float[49];
            for (int i = 0; i < 49; i++) {
                int kind = random.nextInt(10);
                mask[i] = kind < 6 ? 1f : kind < 8 ? 1f - Math.ulp(1f) * (1 + random.nextInt(3)) : random.nextFloat();
            }
            List<PatchSet> expectedTied = referenceSearch(f, (member, q) -> argsortSuccessors(mask, member, q),
                    beamWidth, 15, 10, 0.9);
            BeamSearch.Result oursTied = BeamSearch.findExplanations(f, PatchOrder.numpy(mask), parameters);
            assertEquals(expectedTied, oursTied.roots().stream().map(BeamSearch.Root::patches).toList(),
                    "tied mask, trial " + trial + ", b = " + beamWidth);
        }
        org.junit.jupiter.api.Assertions.assertTrue(rootsSeen > 100, "the trials find explanations: " + rootsSeen);
    }
}
