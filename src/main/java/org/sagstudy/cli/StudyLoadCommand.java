package org.sagstudy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sagstudy.study.StudyRecords;

/**
 * Load benchmark of the participant API against a running server: N participants start sessions at once and answer
 * every question after a short pause (one in ten answers sent twice); then every answer the server accepted is
 * looked up in the database through the admin API, which must hold each exactly once and nothing else.
 */
final class StudyLoadCommand {

    private static final String USAGE = """
            usage: study-load [--url http://localhost:8080] [--participants 200] [--think-ms 1000] [--ramp-s 10]
                              [--study ID] [--photos 10] [--user admin] [--password PASSWORD] [--starts-only]
            Runs participants through an open study's API at once and prints answers per second and latencies.
            Each participant pauses about --think-ms (0.5 to 1.5 times it) before each answer, as people do
            (real ones take several seconds); --think-ms 0 sends requests back to back (a stress test).
            Participants arrive evenly over the first --ramp-s seconds (0: all at the same moment).
            --starts-only: participants start their sessions and answer nothing (the starts' own latency).
            Without --study it creates and opens a study of the first --photos explained photos (p_full >= 0.8).
            The admin password comes from --password or SAG_ADMIN_PASSWORD.
            """;

    private enum Call {
        START, NEXT, ANSWER
    }

    private record Participant(String token, int total, Set<Long> stored) {
    }

    private static final ObjectMapper JSON = ApiClient.JSON;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<Call, List<Long>> latencies = new EnumMap<>(Call.class);
    private ApiClient api;
    private int thinkMillis;
    private double rampSeconds;
    private boolean startsOnly;

    StudyLoadCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        for (Call call : Call.values()) {
            latencies.put(call, Collections.synchronizedList(new ArrayList<>()));
        }
    }

    int run(String[] args) {
        Options options;
        int participants;
        try {
            options = Options.parse(args, Set.of("url", "participants", "think-ms", "ramp-s", "study", "photos",
                    "user", "password"),
                    Set.of("help", "starts-only"));
            if (options.has("help")) {
                out.print(USAGE);
                return 0;
            }
            participants = options.getInt("participants", 200);
            thinkMillis = options.getInt("think-ms", 1000);
            rampSeconds = options.getDouble("ramp-s", 10);
            startsOnly = options.has("starts-only");
            if (participants < 1 || thinkMillis < 0 || rampSeconds < 0) {
                throw new Options.UsageException("--participants must be at least 1, --think-ms and --ramp-s at least 0");
            }
        } catch (Options.UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        api = new ApiClient(options.get("url", "http://localhost:8080"), options.get("user", "admin"),
                options.get("password", System.getenv().getOrDefault("SAG_ADMIN_PASSWORD", "")));
        ExecutorService pool = Executors.newFixedThreadPool(participants);
        try {
            long study = options.has("study") ? options.getLong("study", 0) : createStudy(options.getInt("photos", 10));
            return measure(study, participants, pool);
        } catch (Options.UsageException | IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        } finally {
            pool.shutdownNow();
        }
    }

    private long createStudy(int photos) throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (JsonNode image : api.admin("GET", "/api/images", null)) {
            if (ids.size() < photos && image.at("/predicted/pFull").asDouble(0) >= 0.8) {
                ids.add(image.get("id").asLong());
            }
        }
        if (ids.size() < 2) {
            throw new IOException("the server has fewer than 2 explained photos with p_full >= 0.8; upload some first");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("name", "Load test " + java.time.LocalDateTime.now().withNano(0));
        ObjectNode design = body.putObject("design");
        design.set("imageIds", JSON.valueToTree(ids.subList(1, ids.size())));
        design.set("practiceImageIds", JSON.valueToTree(ids.subList(0, 1)));
        long id = api.admin("POST", "/api/studies", body).get("id").asLong();
        JsonNode opened = api.admin("POST", "/api/studies/" + id + "/open", null);
        out.printf(Locale.ROOT, "created study %d (%s) with %d photos, %d questions per participant%n", id,
                opened.get("state").asText(), ids.size(), opened.get("items").size() - 1);
        return id;
    }

    private int measure(long study, int participants, ExecutorService pool) throws IOException,
            InterruptedException {
        CountDownLatch ready = new CountDownLatch(participants);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Participant>> futures = launch(study, participants, pool, ready, go);
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        Finished finished = collect(futures);
        report(finished, (System.nanoTime() - start) / 1e9);
        if (startsOnly) {
            long sessions = finished.done().stream().map(Participant::token).distinct().count();
            out.printf(Locale.ROOT, "check: %d sessions started for %d participants%n", sessions,
                    finished.done().size());
            return sessions == finished.done().size() && finished.failed() == 0 ? 0 : 1;
        }
        return check(study, finished.done()) && finished.failed() == 0 ? 0 : 1;
    }

    /** Every participant waits, connected, for {@code go}, then starts at its point of the ramp. */
    private List<Future<Participant>> launch(long study, int participants, ExecutorService pool,
            CountDownLatch ready, CountDownLatch go) {
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Future<Participant>> futures = new ArrayList<>();
        for (int i = 0; i < participants; i++) {
            int number = i;
            futures.add(pool.submit(() -> {
                // the clock measures the server, not this program's cold start: every participant's connection
                // is open (and this side's code warm) before the first participant starts
                try {
                    api.connect();
                } finally {
                    ready.countDown();
                }
                go.await();
                Thread.sleep((long) (rampSeconds * 1000 * number / participants));
                return participate(study, "load-" + run + "-" + number, new Random(number));
            }));
        }
        return futures;
    }

    private record Finished(List<Participant> done, int failed) {
    }

    private Finished collect(List<Future<Participant>> futures) throws InterruptedException {
        List<Participant> done = new ArrayList<>();
        int failed = 0;
        for (Future<Participant> future : futures) {
            try {
                done.add(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
                if (failed <= 5) {
                    err.println("error: a participant failed: " + e.getCause().getMessage());
                }
            }
        }
        return new Finished(done, failed);
    }

    private void report(Finished finished, double seconds) {
        int answers = finished.done().stream().mapToInt(p -> p.stored().size()).sum();
        out.printf(Locale.ROOT, "participants: %d completed, %d failed, in %.1f s (think time %d ms, arrivals over "
                + "%.0f s)%n", finished.done().size(), finished.failed(), seconds, thinkMillis, rampSeconds);
        out.printf(Locale.ROOT, "answers: %d stored, %.0f answers/s; requests: %.0f/s%n", answers, answers / seconds,
                latencies.values().stream().mapToInt(List::size).sum() / seconds);
        for (Call call : Call.values()) {
            out.println(summary(call.name().toLowerCase(Locale.ROOT), latencies.get(call)));
        }
        List<Long> all = new ArrayList<>();
        latencies.values().forEach(all::addAll);
        out.println(summary("all", all));
    }

    private Participant participate(long study, String externalId, Random random) throws IOException,
            InterruptedException {
        String address = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        JsonNode session = timed(Call.START, "POST", "/api/studies/" + study + "/sessions",
                JSON.createObjectNode().put("PROLIFIC_PID", externalId), 201, address);
        String token = session.get("token").asText();
        Set<Long> stored = new HashSet<>();
        if (startsOnly) {
            return new Participant(token, 0, stored);
        }
        while (true) {
            JsonNode next = timed(Call.NEXT, "GET", "/api/sessions/" + token + "/next", null, 200, address);
            if (next.get("done").asBoolean()) {
                return new Participant(token, next.get("total").asInt(), stored);
            }
            if (thinkMillis > 0) {
                Thread.sleep(thinkMillis / 2 + random.nextInt(thinkMillis + 1));
            }
            ObjectNode answer = JSON.createObjectNode().put("itemId", next.get("itemId").asLong())
                    .put("side", random.nextBoolean() ? "left" : "right")
                    .put("clientTime", System.currentTimeMillis()).put("responseMs", 1000 + random.nextInt(3000));
            timed(Call.ANSWER, "POST", "/api/sessions/" + token + "/answers", answer, 201, address);
            stored.add(next.get("itemId").asLong());
            if (random.nextInt(10) == 0) {
                timed(Call.ANSWER, "POST", "/api/sessions/" + token + "/answers", answer, 200, address);
            }
        }
    }

    /** Every accepted answer stored exactly once, and no other answer for these sessions. */
    private boolean check(long study, List<Participant> done) throws IOException, InterruptedException {
        // the server names sessions by a hash of their token, which only their holders can compute
        Map<String, Participant> byToken = new HashMap<>();
        done.forEach(p -> byToken.put(StudyRecords.tokenPseudonym(p.token()), p));
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        for (JsonNode key : api.admin("GET", "/api/studies/" + study + "/results/answer-keys", null)) {
            if (byToken.containsKey(key.get(0).asText())) {
                seen.merge(key.get(0).asText() + "/" + key.get(1).asText(), 1, Integer::sum);
            }
        }
        int lost = 0;
        int incomplete = 0;
        for (Participant p : done) {
            for (long item : p.stored()) {
                if (!seen.containsKey(StudyRecords.tokenPseudonym(p.token()) + "/" + item)) {
                    lost++;
                }
            }
            if (p.stored().size() != p.total()) {
                incomplete++;
            }
        }
        long duplicated = seen.values().stream().filter(n -> n > 1).count();
        int expected = done.stream().mapToInt(p -> p.stored().size()).sum();
        long unexpected = seen.size() - (expected - lost);
        out.printf(Locale.ROOT, "check: %d answers in the database for %d accepted; lost %d, duplicated %d, "
                + "unexpected %d, sessions with answers missing %d%n", seen.size(), expected, lost, duplicated,
                unexpected, incomplete);
        return lost == 0 && duplicated == 0 && unexpected == 0 && incomplete == 0;
    }

    private JsonNode timed(Call call, String method, String path, JsonNode body, int expected, String address)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        try {
            return api.call(method, path, body, expected, address);
        } finally {
            latencies.get(call).add(System.nanoTime() - start);
        }
    }

    private static String summary(String name, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return name + ": no requests";
        }
        return String.format(Locale.ROOT, "%-7s %6d requests  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms",
                name, sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
