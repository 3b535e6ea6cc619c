package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.sagstudy.problem.Invalid;
import org.sagstudy.study.ParticipantSummary;
import org.sagstudy.study.SessionKind;
import org.sagstudy.study.StudyCatalog;
import org.sagstudy.study.StudyRecords;

/**
 * Power before recruiting, for a study: the participants per condition the page's own test needs, and what they cost
 * (participants x minutes x hourly rate; the minutes default to the pilot's median duration).
 */
@ApplicationScoped
public class PowerPlanner {

    /** What the experimenter expects; absent numbers take the study's own or common defaults. */
    public record Request(Map<String, Double> accuracy, Integer questions, Double spread, Double power, Double alpha,
            Double minutes, Double hourlyRate, Double itemSpread, Double itemConditionSpread) {
    }

    /** What recruiting the participants the curve asks for costs; {@code minutesFrom} says where the minutes came from. */
    public record Cost(Integer participantsPerCondition, int conditions, Integer participants,
            Double minutesPerParticipant, String minutesFrom, Double hourlyRate, Double total) {
    }

    public record Plan(PowerAnalysis.Scenario scenario, PowerAnalysis.Result power, Cost cost) {
    }

    static final int SIMULATIONS = 400;
    /** Logit-scale SDs beyond this put every participant or question at 0% or 100%. */
    static final double MAX_SPREAD = 10;

    private final StudyCatalog catalog;
    private final StudyRecords repository;

    public PowerPlanner(StudyCatalog catalog, StudyRecords repository) {
        this.catalog = catalog;
        this.repository = repository;
    }

    public Plan plan(long studyId, Request request) {
        StudyCatalog.StudyInfo study = catalog.existing(studyId);
        if (request == null || request.accuracy() == null || request.accuracy().size() < 2
                || !request.accuracy().containsKey(Analysis.SAG)) {
            throw new Invalid("give the expected accuracy of sag and of at least one other condition");
        }
        request.accuracy().forEach((condition, accuracy) -> {
            if (accuracy == null || !(accuracy > 0 && accuracy < 1)) {
                throw new Invalid("the expected accuracy of " + condition + " must be between 0 and 1");
            }
        });
        // the headline reads the primary questions only, so they are what the power rests on
        int questions = request.questions() != null ? request.questions()
                : PreregistrationDocument.primaryQuestions(catalog.items(studyId), study.design());
        double spread = request.spread() == null ? PowerAnalysis.Scenario.DEFAULT_SPREAD : request.spread();
        double itemSpread = request.itemSpread() == null ? PowerAnalysis.Scenario.DEFAULT_ITEM_SPREAD
                : request.itemSpread();
        double itemConditionSpread = request.itemConditionSpread() == null
                ? PowerAnalysis.Scenario.DEFAULT_ITEM_CONDITION_SPREAD : request.itemConditionSpread();
        double target = request.power() == null ? 0.8 : request.power();
        double alpha = request.alpha() == null ? 0.05 : request.alpha();
        // a pilot's fit (analysis.R prints the request) can give large question spreads: deterministic readers, or
        // questions nobody gets right, reach SDs of several logits
        if (questions < 1 || questions > 500 || !(spread >= 0 && spread <= MAX_SPREAD) || !(itemSpread >= 0
                && itemSpread <= MAX_SPREAD) || !(itemConditionSpread >= 0 && itemConditionSpread <= MAX_SPREAD)
                || !(target >= 0.5 && target < 1) || !(alpha > 0 && alpha <= 0.2)) {
            throw new Invalid("questions must be 1 to 500, the spreads 0 to " + (int) MAX_SPREAD + ", the "
                    + "power 0.5 to 0.99 and alpha above 0 and at most 0.2");
        }
        PowerAnalysis.Scenario scenario = new PowerAnalysis.Scenario(request.accuracy(), questions, spread, alpha,
                itemSpread, itemConditionSpread);
        PowerAnalysis.Result power = PowerAnalysis.run(scenario, target, SIMULATIONS, study.design().seed());
        return new Plan(scenario, power, cost(studyId, request, power));
    }

    private Cost cost(long studyId, Request request, PowerAnalysis.Result power) {
        Double minutes = request.minutes();
        String from = "given";
        if (minutes == null) {
            // people's sessions only: simulated readers answer in milliseconds, which would price the study at zero
            double[] durations = repository.participants(studyId).stream()
                    .filter(p -> p.completed() && p.kind() != SessionKind.SIMULATED)
                    .map(ParticipantSummary::durationSeconds).mapToDouble(Double::doubleValue).sorted().toArray();
            minutes = durations.length == 0 ? null : Statistics.quantile(durations, 0.5) / 60;
            from = durations.length == 0 ? "unknown (no completed session of a person yet: give the minutes)"
                    : "median of " + durations.length + " completed session(s) of people";
        }
        Integer perCondition = power.requiredForAll();
        int conditions = power.curve().get(0).power().size() + 1;
        Integer participants = perCondition == null ? null : perCondition * conditions;
        Double rate = request.hourlyRate();
        Double total = participants == null || minutes == null || rate == null ? null
                : participants * minutes / 60 * rate;
        return new Cost(perCondition, conditions, participants, minutes, from, rate, total);
    }
}
