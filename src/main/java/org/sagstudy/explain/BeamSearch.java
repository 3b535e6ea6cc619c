package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Beam search for minimal sufficient explanations (docs/METHOD.md section 5), steered by a patch ranking (most
 * important first). Each level's proposals are evaluated as one request, which {@link MaskedConfidence} batches.
 */
public final class BeamSearch {

    /** A minimal sufficient explanation, with the level (set size) of the proposal it was found from. */
    public record Root(PatchSet patches, double confidence, double relative, int level) {
    }

    /** {@code beams.get(i)}: the beam kept after level i+1, for tracing a run against another implementation. */
    public record Result(List<Root> roots, int levels, List<List<PatchSet>> beams) {
    }

    private record Scored(PatchSet set, double confidence) {
    }

    private static final Comparator<Scored> HIGHEST_FIRST = Comparator.comparingDouble(Scored::confidence).reversed();

    private BeamSearch() {
    }

    public static Result findExplanations(MaskedConfidence f, int[] ranking, SearchParameters parameters) {
        return findExplanations(f, PatchOrder.fixed(ranking), parameters);
    }

    /** As above, with each member's successors taken from {@code order} (see {@link PatchOrder#numpy}). */
    public static Result findExplanations(MaskedConfidence f, PatchOrder order, SearchParameters parameters) {
        boolean reference = parameters.mode() == SearchMode.REFERENCE;
        // The reference code keeps one set more than the beam width (its break comes after the append).
        int keep = reference ? parameters.beamWidth() + 1 : parameters.beamWidth();
        double needed = parameters.threshold() * f.fullProbability();
        List<PatchSet> beam = List.of(PatchSet.EMPTY);
        List<Root> roots = new ArrayList<>();
        Set<PatchSet> known = new HashSet<>();
        List<List<PatchSet>> beams = new ArrayList<>();
        int level = 0;
        while (level < parameters.maxLevels()) {
            List<PatchSet> proposals = successors(beam, order, parameters.candidatesPerMember(), !reference);
            if (proposals.isEmpty()) {
                break;
            }
            level++;
            List<Scored> scored = score(f, proposals);
            List<PatchSet> next = new ArrayList<>(keep);
            for (Scored candidate : scored) {
                if (candidate.confidence() > needed) {
                    PatchSet minimal = parameters.minimality().minimize(candidate.set(), f, parameters.threshold());
                    if (known.add(minimal)) {
                        double confidence = f.confidence(minimal);
                        roots.add(new Root(minimal, confidence, confidence / f.fullProbability(), level));
                    }
                } else if (next.size() < keep) {
                    next.add(candidate.set());
                }
            }
            beams.add(List.copyOf(next));
            if (roots.size() > parameters.maxRoots() || next.isEmpty()) {
                break;
            }
            beam = next;
        }
        return new Result(List.copyOf(roots), level, List.copyOf(beams));
    }

    /**
     * The smallest k at which the beam (exactly {@code beamWidth} distinct sets, no minimization) holds a sufficient
     * set: success as soon as the best proposal of a level is sufficient. Empty when no level succeeds.
     */
    public static OptionalInt smallestSufficientSize(MaskedConfidence f, int[] ranking, int beamWidth,
            int candidatesPerMember, double threshold, int maxLevels) {
        return smallestSufficientSize(f, PatchOrder.fixed(ranking), beamWidth, candidatesPerMember, threshold,
                maxLevels);
    }

    public static OptionalInt smallestSufficientSize(MaskedConfidence f, PatchOrder order, int beamWidth,
            int candidatesPerMember, double threshold, int maxLevels) {
        double needed = threshold * f.fullProbability();
        List<PatchSet> beam = List.of(PatchSet.EMPTY);
        for (int level = 1; level <= maxLevels; level++) {
            List<PatchSet> proposals = successors(beam, order, candidatesPerMember, true);
            if (proposals.isEmpty()) {
                break;
            }
            List<Scored> scored = score(f, proposals);
            if (scored.get(0).confidence() > needed) {
                return OptionalInt.of(level);
            }
            List<PatchSet> next = new ArrayList<>(beamWidth);
            for (int i = 0; i < Math.min(beamWidth, scored.size()); i++) {
                next.add(scored.get(i).set());
            }
            beam = next;
        }
        return OptionalInt.empty();
    }

    /**
     * The smallest k at which the k best patches of an ordering (a heat map's) are sufficient, evaluated a batch
     * at a time so that an early success costs little.
     */
    public static OptionalInt smallestSufficientPrefix(MaskedConfidence f, int[] order, double threshold) {
        double needed = threshold * f.fullProbability();
        int chunk = 8;
        PatchSet prefix = PatchSet.EMPTY;
        for (int start = 0; start < order.length; start += chunk) {
            List<PatchSet> prefixes = new ArrayList<>();
            for (int k = start; k < Math.min(order.length, start + chunk); k++) {
                prefix = prefix.with(order[k]);
                prefixes.add(prefix);
            }
            double[] values = f.confidences(prefixes);
            for (int i = 0; i < values.length; i++) {
                if (values[i] > needed) {
                    return OptionalInt.of(start + i + 1);
                }
            }
        }
        return OptionalInt.empty();
    }

    /**
     * For each member in beam order, the member plus each of its {@code q} best-ranked missing patches, in rank order.
     * Distinct mode drops a set already proposed by an earlier member.
     */
    static List<PatchSet> successors(List<PatchSet> beam, int[] ranking, int q, boolean distinct) {
        return successors(beam, PatchOrder.fixed(ranking), q, distinct);
    }

    static List<PatchSet> successors(List<PatchSet> beam, PatchOrder order, int q, boolean distinct) {
        List<PatchSet> proposals = new ArrayList<>();
        Set<PatchSet> seen = distinct ? new LinkedHashSet<>() : null;
        for (PatchSet member : beam) {
            for (int patch : order.successors(member, q)) {
                PatchSet proposal = member.with(patch);
                if (seen == null || seen.add(proposal)) {
                    proposals.add(proposal);
                }
            }
        }
        return proposals;
    }

    /** Proposals with their confidences, highest first; equal values keep proposal order (a stable sort). */
    private static List<Scored> score(MaskedConfidence f, List<PatchSet> proposals) {
        double[] values = f.confidences(proposals);
        List<Scored> scored = new ArrayList<>(proposals.size());
        for (int i = 0; i < values.length; i++) {
            scored.add(new Scored(proposals.get(i), values[i]));
        }
        scored.sort(HIGHEST_FIRST);
        return scored;
    }
}
