package org.sagstudy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.explain.StoppingRule;

/**
 * The photos an earlier {@code evaluate --report OUT} finished, read back from OUT's CSV files for {@code --resume}.
 * They are taken only when OUT's report names the same model, engine parameters and experiment settings as this run,
 * and only for a photo whose name and SHA-256 both match.
 */
final class EarlierResults {

    private final Map<String, Evaluation.PhotoResult> byImage;

    private EarlierResults(Map<String, Evaluation.PhotoResult> byImage) {
        this.byImage = byImage;
    }

    /** The earlier result for this photo, or null when it must be evaluated. */
    Evaluation.PhotoResult find(String image, String sha256) {
        Evaluation.PhotoResult earlier = byImage.get(image);
        return earlier != null && earlier.sha256().equals(sha256) ? earlier : null;
    }

    int size() {
        return byImage.size();
    }

    /**
     * @param provenanceLines the lines of report.md that must be the same (model hash, parameters, settings)
     * @throws Options.UsageException when OUT holds no report or one made otherwise
     */
    static EarlierResults read(Path outDir, Evaluation.Settings settings, List<String> provenanceLines)
            throws Options.UsageException, IOException {
        Path report = outDir.resolve("report.md");
        if (!Files.isRegularFile(report)) {
            throw new Options.UsageException("--resume needs " + report + " from an earlier evaluate --report");
        }
        String markdown = Files.readString(report, StandardCharsets.UTF_8);
        for (String line : provenanceLines) {
            if (!markdown.contains(line)) {
                throw new Options.UsageException(report + " was made with another model, other parameters or other"
                        + " settings (it lacks \"" + line.strip() + "\"): rerun without --resume or use another folder");
            }
        }
        try {
            return new EarlierResults(parse(outDir, settings.methods()));
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("cannot read the earlier results in " + outDir + ": " + e.getMessage());
        }
    }

    private static Map<String, Evaluation.PhotoResult> parse(Path outDir, List<String> methods)
            throws IOException, Options.UsageException {
        Map<String, List<Evaluation.RootCount>> roots = new HashMap<>();
        for (String line : lines(outDir.resolve("e2_per_image.csv"), EvaluationReport.E2_HEADER)) {
            String[] cells = cells(line, 6);
            StoppingRule rule = java.util.Arrays.stream(StoppingRule.values())
                    .filter(r -> EvaluationReport.ruleKey(r).equals(cells[1])).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown rule " + cells[1]));
            roots.computeIfAbsent(cells[0], image -> new ArrayList<>()).add(new Evaluation.RootCount(rule,
                    Integer.parseInt(cells[2]), Integer.parseInt(cells[3]), Integer.parseInt(cells[4]),
                    Integer.parseInt(cells[5])));
        }
        Map<String, Evaluation.PhotoResult> byImage = new HashMap<>();
        for (String line : lines(outDir.resolve("e1_per_image.csv"), EvaluationReport.e1Header(methods))) {
            String[] cells = cells(line, 5 + methods.size());
            Map<String, Integer> smallestK = new LinkedHashMap<>();
            for (int m = 0; m < methods.size(); m++) {
                smallestK.put(methods.get(m), Integer.parseInt(cells[4 + m]));
            }
            byImage.put(cells[0], new Evaluation.PhotoResult(cells[0], cells[1], cells[2], Double.parseDouble(cells[3]),
                    smallestK, roots.getOrDefault(cells[0], List.of()), Double.parseDouble(cells[cells.length - 1])));
        }
        return byImage;
    }

    private static List<String> lines(Path file, String header) throws IOException, Options.UsageException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(header.strip())) {
            throw new Options.UsageException(file + " does not have the columns this run writes: rerun without "
                    + "--resume or use another folder");
        }
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
    }

    /** One line of the CSV this command writes ({@code Csv.cell}: quoted when it holds a comma or a quote). */
    static String[] cells(String line, int expected) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        if (cells.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " cells, found " + cells.size() + ": " + line);
        }
        return cells.toArray(String[]::new);
    }
}
