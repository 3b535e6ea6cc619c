package org.sagstudy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.sagstudy.explain.StoppingRule;
import org.sagstudy.results.Csv;

/**
 * The files of an evaluation: E1 per photo and cumulative (CSV), E2 per photo and summarized (CSV), the E1 plot (SVG),
 * the summary the command prints, and on request {@code report.md} with everything needed to rerun and compare.
 */
final class EvaluationReport {

    /** How the run was made, for the report. */
    record Provenance(String command, String modelName, String modelSha256, String photoListSha256,
            String parameters, double wallSeconds, int threads, int photosAsked, int photosResumed) {
    }

    static final String E2_HEADER = "image,rule,beam_width,roots_all,roots_overlap_at_most_1,roots_disjoint\n";

    static String e1Header(List<String> methods) {
        return "image,sha256,label,p_full," + String.join(",", methods.stream().map(m -> "k_" + m).toList())
                + ",seconds\n";
    }

    /** The report's lines that say how its numbers were made: a run resumes only from a report with the same. */
    static List<String> provenanceLines(String modelSha256, String parameters, Evaluation.Settings settings) {
        return List.of("| model SHA-256 | `" + modelSha256 + "` |\n",
                "| engine parameters | `" + parameters + "` |\n",
                String.format(Locale.ROOT, "| E1 and E2 | beam widths %s, combinatorial search over the top %d "
                        + "patches up to k = %d, stopping rules %s |%n", settings.beamWidths(),
                        settings.combinationTop(), settings.combinationMaxK(),
                        settings.rules().stream().map(EvaluationReport::ruleKey).toList()));
    }

    static final int[] SHOWN_K = {1, 2, 3, 4, 5, 10, 15, 20, 30, 49};
    private static final double Z95 = 1.959963984540054;

    private final List<Evaluation.PhotoResult> results;
    private final Evaluation.Settings settings;
    private final List<String> methods;
    private final int patches;

    EvaluationReport(List<Evaluation.PhotoResult> results, Evaluation.Settings settings, int patches) {
        this.results = results.stream().sorted(Comparator.comparing(Evaluation.PhotoResult::image)).toList();
        this.settings = settings;
        this.methods = settings.methods();
        this.patches = patches;
    }

    /** Images whose smallest sufficient k for {@code method} is at most {@code k}. */
    int explained(String method, int k) {
        return (int) results.stream().map(r -> r.smallestK().get(method)).filter(m -> m > 0 && m <= k).count();
    }

    double share(String method, int k) {
        return results.isEmpty() ? 0 : explained(method, k) / (double) results.size();
    }

    /** The mean of an E2 count over all photos (photos without roots count as 0). */
    double meanRoots(StoppingRule rule, int beamWidth, java.util.function.ToIntFunction<Evaluation.RootCount> count) {
        return results.stream().flatMap(r -> r.roots().stream())
                .filter(c -> c.rule() == rule && c.beamWidth() == beamWidth).mapToInt(count).average().orElse(0);
    }

    /** Wilson 95% interval of a share of photos, as "[low, high]" in percent. */
    static String wilson(int successes, int n) {
        if (n == 0) {
            return "";
        }
        double p = successes / (double) n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return String.format(Locale.ROOT, "[%.0f, %.0f]", 100 * Math.max(0, centre - half),
                100 * Math.min(1, centre + half));
    }

    void write(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        StringBuilder cumulative = new StringBuilder("k," + String.join(",", methods) + "\n");
        for (int k = 1; k <= patches; k++) {
            cumulative.append(k);
            for (String method : methods) {
                cumulative.append(String.format(Locale.ROOT, ",%.4f", share(method, k)));
            }
            cumulative.append('\n');
        }
        replace(outDir.resolve("e1_cumulative.csv"), cumulative);

        StringBuilder perPhoto = new StringBuilder(e1Header(methods));
        for (Evaluation.PhotoResult r : results) {
            perPhoto.append(String.format(Locale.ROOT, "%s,%s,%s,%.6f", Csv.cell(r.image()), r.sha256(),
                    Csv.cell(r.label()), r.pFull()));
            methods.forEach(m -> perPhoto.append(',').append(r.smallestK().get(m)));
            perPhoto.append(String.format(Locale.ROOT, ",%.2f%n", r.seconds()));
        }
        replace(outDir.resolve("e1_per_image.csv"), perPhoto);

        StringBuilder e2 = new StringBuilder(E2_HEADER);
        for (Evaluation.PhotoResult r : results) {
            for (Evaluation.RootCount c : r.roots()) {
                e2.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d%n", Csv.cell(r.image()), ruleKey(c.rule()),
                        c.beamWidth(), c.all(), c.overlapAtMostOne(), c.disjoint()));
            }
        }
        replace(outDir.resolve("e2_per_image.csv"), e2);
        replace(outDir.resolve("e1.svg"), plot());
    }

    /**
     * Writes a file whole or not at all: a run stopped while writing keeps the previous version, which
     * {@code --resume} reads.
     */
    private static void replace(Path file, CharSequence text) throws IOException {
        Path written = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(written, text, StandardCharsets.UTF_8);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void writeMarkdown(Path outDir, Provenance provenance) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# SAG Study evaluation report\n\n");
        md.append("Rerun with:\n\n```\n").append(provenance.command()).append("\n```\n\n");
        md.append("| | |\n|---|---|\n");
        List<String> provenanceLines = provenanceLines(provenance.modelSha256(), provenance.parameters(), settings);
        md.append("| model | ").append(provenance.modelName()).append(" |\n");
        md.append(provenanceLines.get(0));
        md.append(String.format(Locale.ROOT, "| photos | %d%s (SHA-256 of the sorted list of \"photo-sha256  name\" "
                + "lines: `%s`) |%n", results.size(), results.size() < provenance.photosAsked()
                        ? " of the " + provenance.photosAsked() + " asked for: the run is still going or was stopped"
                        : "", provenance.photoListSha256()));
        md.append(provenanceLines.get(1));
        md.append(provenanceLines.get(2));
        md.append(String.format(Locale.ROOT, "| time | %.1f min wall clock%s, %d photo(s) at a time, %d cores |%n%n",
                provenance.wallSeconds() / 60, provenance.photosResumed() == 0 ? ""
                        : " for the photos this run evaluated (" + provenance.photosResumed() + " taken from the "
                                + "earlier run with --resume)",
                provenance.threads(), Runtime.getRuntime().availableProcessors()));
        md.append(e1Table(true));
        md.append("\n![E1: share of photos explained by at most k patches](e1.svg)\n\n");
        md.append(e2Table());
        md.append("\nFiles: `e1_per_image.csv`, `e1_cumulative.csv`, `e2_per_image.csv`, `e1.svg`.\n");
        replace(outDir.resolve("report.md"), md);
    }

    /** The tables as the command prints them. */
    String summary() {
        return e1Table(false) + "\n" + e2Table();
    }

    private String e1Table(boolean markdown) {
        StringBuilder t = new StringBuilder("## E1: share of photos with a sufficient set of at most k patches\n\n");
        t.append("Methods: `beamB` beam search of width B (q = max(15, B)); `gradcam` inserting patches in Grad-CAM "
                + "order; `igos-search` in the order of the search's own 7x7 I-GOS mask (the authors' insertion "
                + "routine: only patches the mask moved); `igos-display` in the displayed I-GOS map's order, pooled "
                + "to 7x7; `combNxK` every subset of up to K of the top N patches of the I-GOS ranking (the authors' "
                + "combinatorial search).\n\n");
        t.append("| k | ").append(String.join(" | ", methods)).append(" |\n|---|");
        methods.forEach(m -> t.append("---|"));
        t.append('\n');
        for (int k : SHOWN_K) {
            if (k > patches) {
                continue;
            }
            t.append("| ").append(k).append(" |");
            for (String method : methods) {
                t.append(String.format(Locale.ROOT, " %.1f%% |", 100 * share(method, k)));
            }
            t.append('\n');
        }
        t.append("| k <= 10, 95% Wilson |");
        methods.forEach(m -> t.append(' ').append(wilson(explained(m, 10), results.size())).append(" |"));
        t.append("\n\n").append(e1AgainstPaper()).append("\n\n").append(pairedTests()).append('\n');
        return markdown ? t.toString() : t.toString().replace("`", "");
    }

    private String e2Table() {
        StringBuilder t = new StringBuilder("## E2: minimal sufficient explanations per photo (mean over all "
                + "photos, photos without any counted as 0)\n\n");
        t.append("Columns per stopping rule: all distinct roots found / the largest subset overlapping by at most "
                + "1 patch (the authors' `numRoots_Overlap`, overlap_thresh = 1) / the largest disjoint subset.\n\n");
        t.append("| b |");
        settings.rules().forEach(rule -> t.append(' ').append(rule.description()).append(": all / overlap <= 1 / "
                + "disjoint |"));
        t.append("\n|---|");
        settings.rules().forEach(rule -> t.append("---|"));
        t.append('\n');
        for (int b : settings.beamWidths()) {
            t.append("| ").append(b).append(" |");
            for (StoppingRule rule : settings.rules()) {
                t.append(String.format(Locale.ROOT, " %.2f / %.2f / %.2f |",
                        meanRoots(rule, b, Evaluation.RootCount::all),
                        meanRoots(rule, b, Evaluation.RootCount::overlapAtMostOne),
                        meanRoots(rule, b, Evaluation.RootCount::disjoint)));
            }
            t.append('\n');
        }
        t.append('\n').append(e2AgainstPaper()).append('\n');
        return t.toString();
    }

    /** The widest beam's method name (beamB), the one set against the paper's beam search. */
    private String widestBeam() {
        return "beam" + settings.beamWidths().stream().mapToInt(Integer::intValue).max().orElse(3);
    }

    /** E1 at k <= 10 against the paper's figures, saying plainly which are reproduced (within 10 points). */
    String e1AgainstPaper() {
        StringBuilder t = new StringBuilder("Paper (VGG19, ImageNet validation): about 80% of photos have a sufficient "
                + "set of at most 10 patches with beam search, about 50% with heat-map order. Here:");
        Map<String, Double> paper = new LinkedHashMap<>();
        paper.put(widestBeam(), 0.80);
        methods.stream().filter(m -> m.equals("gradcam") || m.startsWith("igos")).forEach(m -> paper.put(m, 0.50));
        paper.forEach((method, expected) -> {
            double here = share(method, 10);
            t.append(String.format(Locale.ROOT, " %s %.0f%% against about %.0f%%: %s;", method, 100 * here,
                    100 * expected, Math.abs(here - expected) <= 0.10 ? "reproduced" : "not reproduced"));
        });
        t.setCharAt(t.length() - 1, '.');
        return t.append(" The photos here are one per class, chosen by hand, not a sample of the validation set: the "
                + "shares describe these photos, not ImageNet.").toString();
    }

    /**
     * The widest beam against every other method on the same photos (explained at k <= 10 or not): exact McNemar tests
     * on the photos where exactly one of the two succeeds, since the methods are paired by photo.
     */
    String pairedTests() {
        String beam = widestBeam();
        StringBuilder t = new StringBuilder("Paired on the same photos (k <= 10), exact McNemar test (two-sided, "
                + "binomial on the photos where only one method succeeds):");
        for (String other : methods) {
            if (other.equals(beam)) {
                continue;
            }
            int onlyBeam = 0;
            int onlyOther = 0;
            for (Evaluation.PhotoResult r : results) {
                boolean b = withinTen(r.smallestK().get(beam));
                boolean o = withinTen(r.smallestK().get(other));
                onlyBeam += b && !o ? 1 : 0;
                onlyOther += o && !b ? 1 : 0;
            }
            t.append(String.format(Locale.ROOT, "%n- %s vs %s: only %s %d, only %s %d, p = %.3g", beam, other, beam,
                    onlyBeam, other, onlyOther, mcnemar(onlyBeam, onlyOther)));
        }
        return t.toString();
    }

    private static boolean withinTen(Integer smallestK) {
        return smallestK != null && smallestK > 0 && smallestK <= 10;
    }

    /** Exact two-sided McNemar p: twice the smaller binomial tail of the discordant pairs, at most 1. */
    static double mcnemar(int onlyFirst, int onlySecond) {
        int n = onlyFirst + onlySecond;
        if (n == 0) {
            return 1;
        }
        int low = Math.min(onlyFirst, onlySecond);
        double tail = 0;
        double term = Math.pow(0.5, n);
        for (int i = 0; i <= low; i++) {
            tail += term;
            term = term * (n - i) / (i + 1);
        }
        return Math.min(1, 2 * tail);
    }

    /**
     * The paper's two E2 numbers beside the pair each stopping rule gives. The authors' script prints numRoots_all and
     * numRoots_Overlap from one run, so a pair is compared from one rule, never the nearest number of any column.
     */
    String e2AgainstPaper() {
        int b = settings.beamWidths().contains(15) ? 15 : settings.beamWidths().get(settings.beamWidths().size() - 1);
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "Paper (b = 15): 4.51 explanations per photo "
                + "(numRoots_all) and 1.87 (numRoots_Overlap, overlap <= 1), both from one run of the authors' script. "
                + "Here, at b = %d, each rule's pair:", b));
        for (StoppingRule rule : settings.rules()) {
            double all = meanRoots(rule, b, Evaluation.RootCount::all);
            double overlap = meanRoots(rule, b, Evaluation.RootCount::overlapAtMostOne);
            t.append(String.format(Locale.ROOT, "%n- %s: all %.2f, overlap <= 1 %.2f (%s)", rule.description(), all,
                    overlap, Math.abs(all - 4.51) <= 0.5 && Math.abs(overlap - 1.87) <= 0.3
                            ? "both within 0.5 and 0.3 of the paper's" : "not the paper's pair"));
        }
        return t.toString();
    }

    static String ruleKey(StoppingRule rule) {
        return rule.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private String plot() {
        int width = 680;
        int height = 440;
        int left = 60;
        int top = 30;
        int plotW = 540;
        int plotH = 320;
        String[] colours = {"#0d47a1", "#1976d2", "#42a5f5", "#6a1b9a", "#ab47bc", "#e65100", "#2e7d32", "#66bb6a",
            "#c62828", "#795548", "#455a64"};
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">%n<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height, width,
                height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">Share of %d photos with a "
                + "sufficient set of at most k patches</text>%n", left, results.size()));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", left, top, plotW, plotH));
        for (int tick = 0; tick <= 10; tick += 2) {
            double y = top + plotH - tick / 10.0 * plotH;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>%n",
                    left - 6, y + 4, tick * 10));
        }
        for (int k = 0; k <= patches; k += 7) {
            double x = left + k / (double) patches * plotW;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
                    top + plotH + 16, k));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">k (patches)</text>%n",
                left + plotW / 2, top + plotH + 34));
        for (int m = 0; m < methods.size(); m++) {
            StringBuilder points = new StringBuilder();
            for (int k = 1; k <= patches; k++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + k / (double) patches * plotW,
                        top + plotH - share(methods.get(m), k) * plotH));
            }
            String colour = colours[m % colours.length];
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>%n", colour, points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", left + plotW + 8,
                    top + 12 + m * 16, colour, methods.get(m)));
        }
        return svg.append("</svg>\n").toString();
    }
}
