package org.sagstudy.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.sagstudy.problem.Invalid;

/** The admin's "simulate" action: simulated participants through the study in this process. */
@ApplicationScoped
public class Simulations {

    /**
     * {@code auto}: the reader that suits each condition; otherwise one {@link SimulatedReader.Strategy} for
     * everyone ({@code random}: coin flips; {@code node-recogniser} and {@code more-patches} exploit the items).
     */
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
            throw new Invalid("participants must be 1 to 1000");
        }
        Optional<SimulatedReader.Strategy> reader = SimulatedReader.byKey(strategy);
        if (!strategy.equals("auto") && reader.isEmpty()) {
            throw new Invalid("strategy must be auto, random, sag-reader, heat-map-reader, "
                    + "node-recogniser or more-patches");
        }
        Simulation.Summary summary = Simulation.run(client, studyId, participants, reader, System.nanoTime());
        return new Result(summary.participants(), summary.answers(), summary.participantsByCondition());
    }
}
