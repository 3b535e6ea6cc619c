package org.sagstudy.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Runs simulated participants through a study, each with the reader that suits its condition (or at random). */
public final class Simulation {

    /** Sessions and answers per condition. */
    public record Summary(int participants, int answers, Map<String, Integer> participantsByCondition) {
    }

    private Simulation() {
    }

    public static Summary run(StudyClient client, long studyId, int participants, boolean randomOnly, long seed) {
        Random random = new Random(seed);
        Map<String, Integer> byCondition = new TreeMap<>();
        int answers = 0;
        for (int i = 0; i < participants; i++) {
            JsonNode session = client.start(studyId, "sim-" + seed + "-" + i);
            String token = session.get("token").asText();
            String condition = session.get("condition").asText();
            byCondition.merge(condition, 1, Integer::sum);
            SimulatedReader.Strategy strategy = randomOnly ? SimulatedReader.Strategy.RANDOM
                    : SimulatedReader.Strategy.forCondition(condition);
            for (JsonNode question = client.next(token); !question.get("done").asBoolean();
                    question = client.next(token)) {
                JsonNode seen = client.seen(token, question.get("position").asInt());
                String side = SimulatedReader.choose(strategy, question, seen, random);
                // people take seconds: keeps simulated sessions clear of the "too fast" rule
                client.answer(token, question.get("itemId").asLong(), side, 1500 + random.nextInt(4500));
                answers++;
            }
        }
        return new Summary(participants, answers, byCondition);
    }
}
