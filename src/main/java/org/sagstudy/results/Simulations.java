package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.sagstudy.web.HttpProblem;

/** The admin's "simulate" action: simulated participants through the study in this process. */
@ApplicationScoped
public class Simulations {

    /** {@code auto}: the reader that suits each condition; {@code random}: coin flips. */
    public record Request(Integer participants, String strategy) {
    }

    public record Result(int participants, int answers, Map<String, Integer> byCondition) {
    }

    private final InProcessStudyClient client;

    public Simulations(InProcessStudyClient client) {
        this.client = client;
    }

    public Result run(long studyId, Request request) {
        int participants = request == null || request.participants() == null ? 30 : request.participants();
        String strategy = request == null || request.strategy() == null ? "auto" : request.strategy();
        if (participants < 1 || participants > 1000) {
            throw HttpProblem.badRequest("participants must be 1 to 1000");
        }
        if (!strategy.equals("auto") && !strategy.equals("random")) {
            throw HttpProblem.badRequest("strategy must be auto or random");
        }
        Simulation.Summary summary = Simulation.run(client, studyId, participants, strategy.equals("random"),
                System.nanoTime());
        return new Result(summary.participants(), summary.answers(), summary.participantsByCondition());
    }
}
