package org.sagstudy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.sagstudy.results.SimulatedReader;
import org.sagstudy.results.Simulation;
import org.sagstudy.results.StudyClient;
import org.sagstudy.study.QuestionView;
import org.sagstudy.study.SeenExplanation;
import org.sagstudy.study.TrialLinks;

/** Simulated participants through a running server's study API (sessions marked simulated). */
final class StudySimulateCommand {

    private static final String USAGE = """
            usage: study-simulate --study ID [--participants 30] [--strategy auto|random|node-recogniser|more-patches|...] [--seed 1]
                                  [--url http://localhost:8080] [--user admin] [--password PASSWORD]
            Runs simulated participants through an open study's API: with auto, a SAG reader in the SAG condition,
            a heat-map reader in the heat-map conditions and coin flips without an explanation; with random, coin
            flips everywhere; sag-reader, heat-map-reader, node-recogniser (the option that is a node of the SAG
            shown wins) or more-patches (the option showing more of the photo wins) for everyone. Their sessions are marked simulated (the analysis page shows them on request).
            The admin password comes from --password or SAG_ADMIN_PASSWORD.
            """;

    private final PrintStream out;
    private final PrintStream err;

    StudySimulateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        try {
            Options options = Options.parse(args, Set.of("study", "participants", "strategy", "seed", "url", "user",
                    "password"), Set.of("help"));
            if (options.has("help")) {
                out.print(USAGE);
                return 0;
            }
            if (!options.has("study")) {
                throw new Options.UsageException("--study is required");
            }
            String strategy = options.get("strategy", "auto");
            Optional<SimulatedReader.Strategy> reader = SimulatedReader.byKey(strategy);
            if (!strategy.equals("auto") && reader.isEmpty()) {
                throw new Options.UsageException("--strategy is auto, random, sag-reader, heat-map-reader, "
                        + "node-recogniser or more-patches");
            }
            ApiClient api = new ApiClient(options.get("url", "http://localhost:8080"), options.get("user", "admin"),
                    options.get("password", System.getenv().getOrDefault("SAG_ADMIN_PASSWORD", "")));
            long study = options.getLong("study", 0);
            api.admin("GET", "/api/studies/" + study, null);
            Simulation.Summary summary = Simulation.run(new HttpStudyClient(api), study,
                    options.getInt("participants", 30), reader, options.getLong("seed", 1));
            out.printf(Locale.ROOT, "%d simulated participants, %d answers; per condition: %s%n",
                    summary.participants(), summary.answers(), summary.participantsByCondition());
            out.printf("analysis: /admin/studies/%d/results?population=simulated%n", study);
            return 0;
        } catch (Options.UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    /** The study API over HTTP; simulated sessions need the admin's credentials. */
    static final class HttpStudyClient implements StudyClient {

        private final ApiClient api;

        HttpStudyClient(ApiClient api) {
            this.api = api;
        }

        @Override
        public Session start(long studyId, String externalId) {
            return read(api.unchecked("POST", "/api/studies/" + studyId + "/sessions", ApiClient.JSON
                    .createObjectNode().put("PROLIFIC_PID", externalId).put("simulated", true), 201, true),
                    Session.class);
        }

        @Override
        public QuestionView next(String token) {
            return read(api.unchecked("GET", "/api/sessions/" + token + "/next", null, 200, false),
                    QuestionView.class);
        }

        @Override
        public SeenExplanation seen(String token, int position) {
            return read(api.unchecked("GET", TrialLinks.explanationData(token, position), null, 200, false),
                    SeenExplanation.class);
        }

        private static <T> T read(JsonNode json, Class<T> type) {
            try {
                return ApiClient.JSON.treeToValue(json, type);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void answer(String token, long itemId, String side, int responseMs) {
            api.unchecked("POST", "/api/sessions/" + token + "/answers", ApiClient.JSON.createObjectNode()
                    .put("itemId", itemId).put("side", side).put("responseMs", responseMs)
                    .put("clientTime", System.currentTimeMillis()), 201, false);
        }
    }
}
