package org.sagstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exported analysis.R on a study where every SAG reader gets every primary question right: glmer would report an
 * infinite odds ratio (separation), so the script must say so and fall back to blme's bglmer with a finite estimate.
 * The answers are written here in answers.csv's columns, as an export of such a study would have them.
 */
class RFallbackTest {

    private static final Pattern ODDS = Pattern.compile("primary sag vs (\\S+): odds ratio ([0-9.eE+-]+) \\[([0-9.eE+-]+), "
            + "([0-9.eE+-]+)\\], p ([0-9.eE+-]+) \\(Holm\\)");

    private static String answers(long seed) {
        StringBuilder csv = new StringBuilder("participant,condition,image_id,item_id,item_kind,question_kind,"
                + "trial_index,left_patches,right_patches,confidence_gap,correct,excluded,primary_outcome\n");
        Random random = new Random(seed);
        long participant = 0;
        for (String condition : List.of("gradcam", "igos", "sag")) {
            for (int p = 0; p < 12; p++) {
                participant++;
                for (int item = 0; item < 16; item++) {
                    boolean primary = item < 12;
                    boolean correct = primary && condition.equals("sag") || random.nextDouble() < 0.62;
                    csv.append(String.format(Locale.ROOT, "%d,%s,%d,%d,trial,%s,%d,%s,%s,%.3f,%s,false,%s%n",
                            participant, condition, item / 3, item, primary ? "neither-random" : "both-in-sag",
                            (item * 7 + p) % 16, "1 2 3 " + (10 + item % 5), "4 5 6 " + (20 + item % 7),
                            0.2 + 0.05 * (item % 8), correct, primary));
                }
            }
        }
        return csv.toString();
    }

    @Test
    void aPerfectConditionFallsBackToBglmerWithAFiniteEstimate() throws Exception {
        Path folder = Files.createTempDirectory("sag-r-fallback");
        Files.writeString(folder.resolve("answers.csv"), answers(5), StandardCharsets.UTF_8);
        try (InputStream script = RFallbackTest.class.getResourceAsStream("/results/analysis.R")) {
            Files.write(folder.resolve("analysis.R"), script.readAllBytes());
        }
        Process r = new ProcessBuilder("Rscript", "analysis.R", "answers.csv").directory(folder.toFile())
                .redirectErrorStream(true).start();
        String output = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(r.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, r.exitValue(), output);
        assertTrue(output.contains("observed sag: 1.0000 (12 participants, 144 answers)"), output);
        assertTrue(output.contains("separation check: observed accuracy sag 1.000"), output);
        Matcher used = Pattern.compile("model used: .*\\(blme::bglmer.*because separation").matcher(output);
        assertTrue(used.find(), "the fallback is named:\n" + output);
        int contrasts = 0;
        for (Matcher m = ODDS.matcher(output); m.find(); contrasts++) {
            double odds = Double.parseDouble(m.group(2));
            double high = Double.parseDouble(m.group(4));
            assertTrue(Double.isFinite(odds) && odds > 1 && Double.isFinite(high) && high < 1e6,
                    "a finite, positive SAG advantage: " + m.group());
            assertTrue(Double.parseDouble(m.group(5)) < 0.05, m.group());
        }
        assertEquals(2, contrasts, output);
        // each contrast's own fit (SAG and one other condition) meets the same separation and falls back the same way
        Pattern pairFallback = Pattern.compile("sag vs \\S+ fitted as .*\\(blme::bglmer\\) because separation");
        assertEquals(2, pairFallback.matcher(output).results().count(), output);
    }
}
