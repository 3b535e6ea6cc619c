package org.sagstudy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sagstudy.explain.StoppingRule;

/** The evaluation's tables and files from hand-made photo results whose shares and means are known. */
class EvaluationReportTest {

    private static final Evaluation.Settings SETTINGS = new Evaluation.Settings(List.of(3, 15), 20, 4,
            List.of(StoppingRule.MORE_THAN_MAX_ROOTS, StoppingRule.FIRST_ROOT_LEVEL));

    private static Evaluation.PhotoResult photo(String name, int beam3, int beam15, int gradcam, int allAt15,
            int overlapAt15) {
        Map<String, Integer> k = new LinkedHashMap<>();
        for (String method : SETTINGS.methods()) {
            k.put(method, 0);
        }
        k.put("beam3", beam3);
        k.put("beam15", beam15);
        k.put("gradcam", gradcam);
        List<Evaluation.RootCount> roots = List.of(
                new Evaluation.RootCount(StoppingRule.MORE_THAN_MAX_ROOTS, 3, 1, 1, 1),
                new Evaluation.RootCount(StoppingRule.MORE_THAN_MAX_ROOTS, 15, allAt15, overlapAt15, 1),
                new Evaluation.RootCount(StoppingRule.FIRST_ROOT_LEVEL, 3, 1, 1, 1),
                new Evaluation.RootCount(StoppingRule.FIRST_ROOT_LEVEL, 15, 2, 1, 1));
        return new Evaluation.PhotoResult(name, "sha-" + name, "label, with comma", 0.9, k, roots, 1.5);
    }

    @Test
    void sharesIntervalsMeansAndFiles(@TempDir Path folder) throws Exception {
        // four photos: beam3 k = 2, 5, 12, none; beam15 k = 2, 4, 8, 30; gradcam k = 10, none, none, none
        List<Evaluation.PhotoResult> results = List.of(photo("a.jpg", 2, 2, 10, 6, 2), photo("b.jpg", 5, 4, 0, 4, 2),
                photo("c.jpg", 12, 8, 0, 0, 0), photo("d.jpg", 0, 30, 0, 2, 1));
        EvaluationReport report = new EvaluationReport(results, SETTINGS, 49);
        assertEquals(0.5, report.share("beam3", 10), 1e-12);
        assertEquals(0.75, report.share("beam15", 10), 1e-12);
        assertEquals(1.0, report.share("beam15", 49), 1e-12);
        assertEquals(0.25, report.share("gradcam", 10), 1e-12);
        assertEquals(0.0, report.share("gradcam", 9), 1e-12);
        // Wilson for 3 of 4: centre (0.75 + 0.4802) / 1.9604 = 0.6275, half 1.96 sqrt(0.046875 + 0.0600) / 1.9604
        assertEquals("[30, 95]", EvaluationReport.wilson(3, 4));
        assertEquals(3.0, report.meanRoots(StoppingRule.MORE_THAN_MAX_ROOTS, 15, Evaluation.RootCount::all), 1e-12,
                "photos without roots count as 0: (6 + 4 + 0 + 2) / 4");
        assertEquals(1.25, report.meanRoots(StoppingRule.MORE_THAN_MAX_ROOTS, 15,
                Evaluation.RootCount::overlapAtMostOne), 1e-12);
        String e2 = report.e2AgainstPaper();
        assertTrue(e2.contains("all 3.00, overlap <= 1 1.25 (not the paper's pair)"), e2);
        assertTrue(e2.contains("- first level with a root: all 2.00, overlap <= 1 1.00"), e2);
        // beam15 explains a, b, c at k <= 10; gradcam only a: only beam15 2, only gradcam 0, p = 2 * 0.5^2
        assertTrue(report.pairedTests().contains("- beam15 vs gradcam: only beam15 2, only gradcam 0, p = 0.500"),
                report.pairedTests());
        assertTrue(report.pairedTests().contains("- beam15 vs beam3: only beam15 1, only beam3 0, p = 1"),
                report.pairedTests());
        assertEquals(2 * (1 + 12 + 66) / 4096.0, EvaluationReport.mcnemar(10, 2), 1e-15,
                "12 discordant photos, 2 the other way: twice P(X <= 2), X ~ Bin(12, 1/2)");
        assertTrue(report.e1AgainstPaper().contains("beam15 75% against about 80%: reproduced")
                && report.e1AgainstPaper().contains("gradcam 25% against about 50%: not reproduced"),
                report.e1AgainstPaper());

        report.write(folder);
        report.writeMarkdown(folder, new EvaluationReport.Provenance("scripts/sag evaluate X", "mobilenet_v2",
                "abc", "def", "mode=default", 90, 2, 4, 0));
        List<String> perImage = Files.readAllLines(folder.resolve("e1_per_image.csv"));
        assertEquals("image,sha256,label,p_full,k_beam3,k_beam15,k_gradcam,k_igos-search,k_igos-display,"
                + "k_comb20x4,seconds", perImage.get(0));
        assertEquals("a.jpg,sha-a.jpg,\"label, with comma\",0.900000,2,2,10,0,0,0,1.50", perImage.get(1));
        List<String> cumulative = Files.readAllLines(folder.resolve("e1_cumulative.csv"));
        assertEquals(50, cumulative.size(), "a header and k = 1..49");
        assertEquals("10,0.5000,0.7500,0.2500,0.0000,0.0000,0.0000", cumulative.get(10));
        assertEquals(1 + 4 * 4, Files.readAllLines(folder.resolve("e2_per_image.csv")).size());
        String markdown = Files.readString(folder.resolve("report.md"));
        assertTrue(markdown.contains("scripts/sag evaluate X"));
        assertTrue(markdown.contains("| photos | 4 (SHA-256"), "all the photos asked for: " + markdown);
        report.writeMarkdown(folder, new EvaluationReport.Provenance("scripts/sag evaluate X", "mobilenet_v2",
                "abc", "def", "mode=default", 90, 2, 50, 0));
        assertTrue(Files.readString(folder.resolve("report.md")).contains("| photos | 4 of the 50 asked for"),
                "a report of a run stopped early says so");
        markdown = Files.readString(folder.resolve("report.md"));
        assertTrue(markdown.contains("| 10 | 50.0% | 75.0% | 25.0% |"), markdown);
        assertTrue(markdown.contains("| 15 | 3.00 / 1.25 / 1.00 | 2.00 / 1.00 / 1.00 |"), markdown);
        assertTrue(Files.readString(folder.resolve("e1.svg")).startsWith("<svg"));
    }

    @Test
    void aResumedRunTakesBackExactlyWhatTheEarlierRunWrote(@TempDir Path folder) throws Exception {
        List<Evaluation.PhotoResult> results = List.of(photo("a.jpg", 2, 2, 10, 6, 2), photo("b.jpg", 5, 4, 0, 4, 2));
        EvaluationReport report = new EvaluationReport(results, SETTINGS, 49);
        report.write(folder);
        report.writeMarkdown(folder, new EvaluationReport.Provenance("scripts/sag evaluate X", "mobilenet_v2",
                "abc", "def", "mode=default", 90, 2, 3, 1));
        assertTrue(Files.readString(folder.resolve("report.md")).contains("(1 taken from the earlier run"));

        EarlierResults earlier = EarlierResults.read(folder, SETTINGS,
                EvaluationReport.provenanceLines("abc", "mode=default", SETTINGS));
        assertEquals(2, earlier.size());
        assertEquals(results.get(1), earlier.find("b.jpg", "sha-b.jpg"));
        assertEquals(null, earlier.find("b.jpg", "sha-of-a-changed-photo"), "a changed photo is evaluated again");

        for (List<String> other : List.of(EvaluationReport.provenanceLines("another-model", "mode=default", SETTINGS),
                EvaluationReport.provenanceLines("abc", "mode=reference", SETTINGS),
                EvaluationReport.provenanceLines("abc", "mode=default", Evaluation.Settings.PAPER))) {
            Options.UsageException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    Options.UsageException.class, () -> EarlierResults.read(folder, SETTINGS, other));
            assertTrue(refused.getMessage().contains("another model, other parameters or other settings"),
                    refused.getMessage());
        }
        Files.writeString(folder.resolve("e2_per_image.csv"), "image,rule,beam_width\n");
        Options.UsageException columns = org.junit.jupiter.api.Assertions.assertThrows(Options.UsageException.class,
                () -> EarlierResults.read(folder, SETTINGS,
                        EvaluationReport.provenanceLines("abc", "mode=default", SETTINGS)));
        assertTrue(columns.getMessage().contains("does not have the columns"), columns.getMessage());
    }

    @Test
    void theAuthorsInsertionOnlyTakesPatchesTheMaskMoved() {
        float[] importance = new float[49];
        importance[7] = 0.3f;
        importance[2] = 0.5f;
        importance[40] = 1e-9f; // a mask of 1 - 1e-9 is 1 in float32: never inserted
        importance[41] = 1e-6f;
        assertArrayEquals(new int[] {2, 7, 41}, Evaluation.movedPatches(importance));
    }
}
