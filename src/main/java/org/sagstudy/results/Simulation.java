package org.sagstudy.results;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.sagstudy.study.QuestionView;
import org.sagstudy.study.SeenExplanation;

/** Runs simulated participants through a study, each with the reader that suits its condition or one strategy. */
public final class Simulation {

    /** Sessions and answers per condition. */
    public record Summary(int participants, int answers, Map<String, Integer> participantsByCondition) {
    }

    private Simulation() {
    }

    /**
     * @param strategy every participant's strategy, or empty for the reader that suits each one's condition
     */
    public static Summary run(StudyClient client, long studyId, int participants,
            java.util.Optional<SimulatedReader.Strategy> strategy, long seed) {
        Random random = new Random(seed);
        Map<String, Integer> byCondition = new TreeMap<>();
        int answers = 0;
        for (int i = 0; i < participants; i++) {
            StudyClient.Session session = client.start(studyId, "sim-" + seed + "-" + i);
            String token = session.token();
            String condition = session.condition();
            byCondition.merge(condition, 1, Integer::sum);
            SimulatedReader.Strategy reader = strategy.orElse(SimulatedReader.Strategy.forCondition(condition));
            for (QuestionView question = client.next(token); !question.done(); question = client.next(token)) {
                SeenExplanation seen = client.seen(token, question.position());
                // an attention check shows the object in one view: anyone who looks passes it; only the random reader
                // stands for someone who does not look
                java.util.Optional<String> attentive = reader == SimulatedReader.Strategy.RANDOM
                        ? java.util.Optional.empty() : client.attentiveAnswer(token, question);
                String side = attentive.isPresent() ? attentive.get()
                        : SimulatedReader.choose(reader, question, seen, random);
                // people take seconds: keeps simulated sessions clear of the "too fast" rule
                client.answer(token, question.itemId(), side, 1500 + random.nextInt(4500));
                answers++;
            }
        }
        return new Summary(participants, answers, byCondition);
    }
}
