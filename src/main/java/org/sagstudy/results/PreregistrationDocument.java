package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.sagstudy.study.Condition;
import org.sagstudy.study.ItemAudit;
import org.sagstudy.study.ItemAudits;
import org.sagstudy.study.ItemKind;
import org.sagstudy.study.Preregistrations;
import org.sagstudy.study.QuestionKind;
import org.sagstudy.study.StudyCatalog;
import org.sagstudy.study.StudyDesign;
import org.sagstudy.study.StudyItem;
import org.sagstudy.study.StudyMessages;

/**
 * The pre-registration of a study, as Markdown: hypotheses, primary outcome, conditions with the exact texts
 * participants read, the items and their audit, exclusion rules, the analysis, the planned sample with the power
 * behind it, and the stopping rule. Written from frozen things only (design, stored items, explanations), so the
 * document of an opening study is what the study will run.
 */
@ApplicationScoped
public class PreregistrationDocument implements Preregistrations.Writer {

    /** The model analysis.R fits to the primary answers (before any fallback its diagnostics choose). */
    public static final String R_MODEL = "glmer(correct ~ condition + gap + visible patches + trial index + "
            + "(1 | participant) + (1 | item) + (1 | item:condition) + (1 | photo), family = binomial)";

    /** The SHA-256 of the analysis.R this server exports: the pre-registration names the exact script. */
    static final String ANALYSIS_SCRIPT_SHA256 = StudyResults.analysisScriptSha256();

    private final ItemAudits audits;
    private final StudyCatalog catalog;
    private final StudyMessages messages;

    public PreregistrationDocument(ItemAudits audits, StudyCatalog catalog, StudyMessages messages) {
        this.audits = audits;
        this.catalog = catalog;
        this.messages = messages;
    }

    @Override
    public String markdown(long studyId, String name, StudyDesign design) {
        List<String> primary = design.primaryKindList().stream().map(QuestionKind::key).toList();
        List<String> baselines = design.conditions().stream().filter(c -> !c.equals(Analysis.SAG)).toList();
        StringBuilder text = new StringBuilder();
        text.append("# Pre-registration: ").append(name).append("\n\nStudy ").append(studyId)
                .append(" of a SAG Study server. Everything below was fixed when the study opened.\n");
        hypotheses(text, design, baselines, primary);
        conditions(text, design);
        items(text, studyId, design);
        exclusions(text, design.exclusions());
        analysis(text, design, baselines);
        sample(text, design, primaryQuestions(catalog.items(studyId), design));
        return text.toString();
    }

    private static void hypotheses(StringBuilder text, StudyDesign design, List<String> baselines,
            List<String> primary) {
        text.append("\n## Hypotheses\n\n");
        if (!design.conditions().contains(Analysis.SAG) || baselines.isEmpty()) {
            text.append("The design has no SAG condition with a baseline to compare: no confirmatory hypothesis.\n");
        }
        if (design.conditions().contains(Analysis.SAG)) {
            baselines.forEach(b -> text.append("- H-").append(b).append(": participants shown the SAG predict the "
                    + "model's more confident option more accurately than participants shown ").append(
                            Condition.byKey(b).map(Condition::title).orElse(b)).append(", on the primary questions.\n"));
        }
        if (design.conditions().contains(Analysis.SAG) && !baselines.isEmpty()) {
            text.append("- The tests are two-sided; only a difference in the SAG's favour supports a hypothesis "
                    + "above.\n");
        }
        text.append(String.format(Locale.ROOT, "- Equivalence (claims of no difference): a difference of mean "
                + "participant accuracy within ±%.0f points, tested by two one-sided tests (TOST).\n",
                100 * design.equivalenceMargin()));
        text.append("\n## Primary outcome\n\nWhether a participant chose the option on which the model is more "
                + "confident, on trial questions of the kinds ").append(String.join(", ", primary)).append(
                        " (no option's confidence is printed in any condition's explanation). Other kinds asked (")
                .append(design.questionMix().keySet().stream().map(QuestionKind::key).filter(k -> !primary
                        .contains(k)).collect(Collectors.joining(", "))).append(") are reported apart: look-ups are a "
                        + "manipulation check (can readers read the SAG?), never pooled into the primary outcome.\n");
    }

    private void conditions(StringBuilder text, StudyDesign design) {
        text.append("\n## Conditions (between subjects, balanced assignment)\n");
        // a draft may still name an unknown condition (its problems say so): the preview leaves it out
        for (Condition condition : design.conditions().stream().flatMap(key -> Condition.byKey(key).stream())
                .toList()) {
            text.append("\n### ").append(condition.key()).append(": ").append(condition.title()).append("\n\n")
                    .append(quote(condition.guidance(messages))).append('\n');
        }
        text.append("\nEvery condition reads the same consent and instructions:\n\n").append(quote(design.consent()))
                .append("\n\n").append(quote(design.instructions())).append('\n');
        text.append(String.format(Locale.ROOT, "\nPractice items: %d (with feedback); attention checks: %d; SAG "
                + "shown: %s (%d roots, %d levels); hidden parts drawn: %s.\n", design.practiceItems(),
                design.attentionChecks(), design.sagStyle(), design.sagRoots(), design.sagDepth(),
                design.rendering()));
    }

    private void items(StringBuilder text, long studyId, StudyDesign design) {
        Map<Long, StudyItem> items = catalog.items(studyId);
        long trials = items.values().stream().filter(i -> i.kind() == ItemKind.TRIAL).count();
        text.append(String.format(Locale.ROOT, "\n## Items\n\nTrial photos: %s; practice photos: %s. %d trial "
                + "questions, %d per photo, minimum confidence gap %.2f, least p_full %.2f, item seed %d.\n",
                design.imageIds(), design.practiceImageIds(), trials, design.questionsPerImage(), design.minGap(),
                design.minPFull(), design.seed()));
        text.append("\n### Item audit\n\nComputed from the items' stored sets and maps: what simple strategies "
                + "would score on these exact questions (a tie scores one half).\n\n");
        text.append(auditTable(audits.of(studyId, design)));
    }

    /** The audit as a Markdown table, one row per kind and the primary kinds pooled. */
    public static String auditTable(ItemAudit audit) {
        StringBuilder table = new StringBuilder("| " + String.join(" | ", ItemAudit.header()) + " |\n|");
        table.append("---|".repeat(ItemAudit.header().size())).append('\n');
        audit.rows().forEach(row -> table.append("| ").append(String.join(" | ", row)).append(" |\n"));
        return table.toString();
    }

    private static void exclusions(StringBuilder text, StudyDesign.Exclusions rules) {
        text.append(String.format(Locale.ROOT, "\n## Exclusion rules\n\nA participant is excluded when: more than %d "
                + "attention check(s) failed; the median response time (server-measured) is below %d ms; %s%s. "
                + "Results under other rules are labelled \"%s\".\n", rules.maxFailedChecks(), rules.minMedianMs(),
                rules.excludeIncomplete() ? "the session is unfinished" : "(unfinished sessions are kept)",
                rules.excludeFlagged() ? "; platform ids broke the study's rules (flagged)" : "",
                ExclusionRules.EXPLORATORY));
    }

    private static void analysis(StringBuilder text, StudyDesign design, List<String> baselines) {
        text.append("\n## Analysis\n\nConfirmatory, on the included participants' primary answers, SAG against ")
                .append(baselines.isEmpty() ? "no baseline" : String.join(" and ", baselines))
                .append(", Holm-adjusted over these ").append(baselines.size()).append(" comparison(s) at alpha 0.05:\n\n")
                .append("- Mixed model (`analysis.R` in the export, lme4; this server's script has SHA-256 `")
                .append(ANALYSIS_SCRIPT_SHA256).append("`, so an export whose script differs was made by another "
                        + "version): `").append(R_MODEL).append("`; gap, visible "
                        + "patches and trial index centred; marginal accuracies (emmeans) from the fit to all "
                        + "conditions; SAG vs each baseline as an odds ratio from the same model fitted to the answers "
                        + "of SAG and that baseline alone (one item x condition variance then describes the contrast "
                        + "even when the explanations' help varies over the questions unequally), a two-sided Wald test "
                        + "on the logit scale against t with (questions - 1) degrees of freedom. Fallbacks in this "
                        + "order, for each fit, each named in the output: "
                        + "other optimisers (allFit) on non-convergence, and when every optimiser fails, drop the "
                        + "item x condition term, then the photo intercept; on a singular fit drop the item x "
                        + "condition term, then the photo intercept (each only when its own variance is at zero); on "
                        + "separation or a condition near 0% or 100%, bglmer (blme) from the full structure, dropping "
                        + "the item x condition term, then the photo intercept, while a random SD runs away (above 10 "
                        + "on the logit scale). Without the item x condition term the test ignores that questions "
                        + "differ by condition, which makes it liberal: "
                        + "a result that needed that fallback is to be read with the min F' below.\n")
                .append("- The confirmatory test is the mixed model's. The results page shows Clark's min F' over "
                        + "participants and questions (conservative), and beside it Welch's t-test on per-participant "
                        + "accuracy, the Mann-Whitney test and a participant bootstrap interval: tests on participants "
                        + "alone ignore that every participant answers the same sample of questions "
                        + "(scripts/bench/false-positives.sh measures each test's false-positive rate).\n")
                .append(String.format(Locale.ROOT, "- Equivalence: TOST against ±%.0f points.\n",
                        100 * design.equivalenceMargin()))
                .append("\nExploratory: accuracy by question kind (condition x kind likelihood-ratio test), by gap, by "
                        + "photo, response times, side bias.\n");
    }

    /** Trial questions of the primary kinds: what the power analysis counts. */
    static int primaryQuestions(Map<Long, StudyItem> items, StudyDesign design) {
        return (int) items.values().stream().filter(i -> i.kind() == ItemKind.TRIAL
                && design.isPrimary(i.questionKind())).count();
    }

    private static void sample(StringBuilder text, StudyDesign design, int primaryQuestions) {
        text.append("\n## Sample size, power and stopping rule\n\n");
        int planned = design.plannedPerCondition();
        text.append(planned == 0 ? "No sample size was planned.\n"
                : "Planned: " + planned + " completed sessions per condition (" + planned
                        * design.conditions().size() + " in all). The analysis reads those the exclusion rules "
                        + "include; the power below assumes all of them are, so every excluded session lowers it.\n");
        Map<String, Double> expected = new java.util.LinkedHashMap<>();
        design.expectedAccuracy().forEach((condition, accuracy) -> {
            if (accuracy != null && accuracy > 0 && accuracy < 1) {
                expected.put(condition, accuracy);
            }
        });
        if (planned > 0 && primaryQuestions > 0 && expected.containsKey(Analysis.SAG) && expected.size() > 1) {
            PowerAnalysis.Scenario scenario = PowerAnalysis.Scenario.typical(expected, primaryQuestions, 0.05);
            PowerAnalysis.Point point = PowerAnalysis.at(scenario, planned, PowerPlanner.SIMULATIONS, design.seed());
            text.append(String.format(Locale.ROOT, "Power behind it: expected accuracy %s on the primary questions, "
                    + "%d primary questions per participant, spreads on the log-odds scale of participants %.2f, "
                    + "questions %.2f and question x condition %.2f, Clark's min F' Holm-adjusted at alpha 0.05 "
                    + "(conservative next to the mixed model): %s; all comparisons at once %.2f (%d simulated "
                    + "studies, Monte Carlo error about ±%.2f).\n", expected,
                    primaryQuestions, scenario.spread(), scenario.itemSpread(), scenario.itemConditionSpread(),
                    point.power().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(),
                            e.getValue())).collect(Collectors.joining(", ")), point.all(), PowerPlanner.SIMULATIONS,
                    2 * point.allError()));
        } else {
            text.append("No expected accuracies (or no primary questions yet), so no power is claimed.\n");
        }
        text.append(planned == 0 ? "Stopping rule: the experimenter closes the study; the close is logged below.\n"
                : "Stopping rule: data collection stops when every condition has " + planned + " completed sessions; "
                        + "closing earlier is logged below as a deviation.\n");
    }

    private static String quote(String text) {
        return text.lines().map(line -> "> " + line).collect(Collectors.joining("\n"));
    }
}
