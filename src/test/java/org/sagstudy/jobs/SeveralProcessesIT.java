package org.sagstudy.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as separate processes on the test database, as a deployment runs it: two worker processes
 * share the queue (every job done exactly once, both take jobs, a killed worker's job is finished by the other after
 * its lease), and a web-only process drops a study closed through another process at once (LISTEN/NOTIFY).
 */
class SeveralProcessesIT {

    private static final String DB_URL = System.getenv().getOrDefault("TEST_DB_URL",
            "jdbc:postgresql://localhost:5432/study_test");
    private static final String PASSWORD = "test-secret";
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final List<App> APPS = new ArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One running copy of the packaged application. */
    private record App(String name, Process process, int port) {

        String url(String path) {
            return "http://localhost:" + port + path;
        }
    }

    private static App start(String name, boolean worker) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path app = Path.of(System.getProperty("sag.app-dir", "target/quarkus-app"));
        Path shared = Path.of(System.getProperty("sag.shared-dir", "../shared")).toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("java", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.graph_optimizer=false", "-Dquarkus.http.port=" + port,
                "-Dsag.worker.enabled=" + worker, "-Dsag.worker.concurrent-images=1",
                "-Dsag.worker.lease=" + LEASE.toSeconds() + "s", "-Dsag.worker.poll-interval=200ms", "-Dsag.demo.enabled=false",
                "-Dsag.security.participant-requests-per-minute=100000",
                "-Dsag.model.dir=" + shared.resolve("models/mobilenet_v2"), "-jar",
                app.resolve("quarkus-run.jar").toString());
        builder.environment().put("DB_URL", DB_URL);
        builder.environment().put("SAG_SESSION_KEY", "0123456789abcdef0123456789abcdef");
        builder.environment().put("SAG_ADMIN_PASSWORD", PASSWORD);
        String tcmalloc = System.getProperty("sag.tcmalloc", "");
        if (Files.exists(Path.of(tcmalloc))) {
            builder.environment().put("LD_PRELOAD", tcmalloc);
        }
        Path log = Files.createTempFile("sag-" + name, ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        App started = new App(name, builder.start(), port);
        APPS.add(started);
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            try {
                if (get(started, "/q/health/ready").statusCode() == 200) {
                    return started;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!started.process().isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name + " did not start; its log: " + log + "\n"
                        + Files.readString(log));
            }
            Thread.sleep(500);
        }
    }

    private static HttpResponse<String> get(App app, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.url(path))).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(App app, String method, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.url(path))).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes()))
                .header("Content-Type", "application/json").header("X-Requested-With", "test")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(DB_URL, System.getenv().getOrDefault("DB_USER", "study"),
                System.getenv().getOrDefault("DB_PASSWORD", "study"));
    }

    @BeforeAll
    static void quietQueue() throws Exception {
        try (Connection c = database(); PreparedStatement cancel = c.prepareStatement(
                "UPDATE job SET state = 'cancelled' WHERE state IN ('queued', 'running')")) {
            cancel.executeUpdate();
        } catch (java.sql.SQLException noSchemaYet) {
            // a fresh database: the first process creates the schema
        }
    }

    @AfterAll
    static void stopAll() {
        APPS.forEach(app -> app.process().destroyForcibly());
    }

    /** Stores a photo as the upload does (or finds it by its hash); its id. */
    private static long photo(Connection c, String name) throws Exception {
        Path file = Path.of(System.getProperty("sag.shared-dir", "../shared"), "data/images/imagenet-dev", name);
        byte[] bytes = Files.readAllBytes(file);
        var image = ImageIO.read(file.toFile());
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO image (file_name, sha256, content_type, width, height, size_bytes, bytes)
                VALUES (?, ?, 'image/jpeg', ?, ?, ?, ?)
                ON CONFLICT (sha256) DO UPDATE SET file_name = excluded.file_name RETURNING id""")) {
            insert.setString(1, name);
            insert.setString(2, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            insert.setInt(3, image.getWidth());
            insert.setInt(4, image.getHeight());
            insert.setLong(5, bytes.length);
            insert.setBytes(6, bytes);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    @Test
    void workersShareTheQueueAndWebProcessesShareStudies() throws Exception {
        App first = start("first", true);
        App second = start("second", true);
        App web = start("web", false);
        Matcher sha = Pattern.compile("id=\"model-sha256\"><code>([0-9a-f]{64})<").matcher(get(first, "/").body());
        assertTrue(sha.find(), "the home page names the model to an admin");

        // quick explanations (no heat maps, stop at the first level with a root), two per photo
        String cheap = """
                {"beamWidth": 3, "candidatesPerMember": 15, "maxRoots": 0, "threshold": 0.9, "mode": "default",
                 "minimality": "greedy", "overlap": 1, "sagRoots": 3, "expandThreshold": 0.4, "maxSagNodes": 100,
                 "baseline": "black", "igosDisplayBaseline": "blur", "heatMaps": false, "seed": 0}""";
        List<Long> jobs = new ArrayList<>();
        try (Connection c = database()) {
            c.setAutoCommit(false);
            List<Long> photos = List.of(photo(c, "n01980166_fiddler_crab.JPEG"),
                    photo(c, "n02088094_Afghan_hound.JPEG"), photo(c, "n01601694_water_ouzel.JPEG"),
                    photo(c, "n02391049_zebra.JPEG"));
            try (PreparedStatement queue = c.prepareStatement("""
                    INSERT INTO job (image_id, model_sha256, parameters, max_attempts) VALUES (?, ?, ?::jsonb, 3)
                    RETURNING id""")) {
                for (int round = 0; round < 2; round++) {
                    for (long photo : photos) {
                        queue.setLong(1, photo);
                        queue.setString(2, sha.group(1));
                        queue.setString(3, cheap);
                        try (ResultSet id = queue.executeQuery()) {
                            id.next();
                            jobs.add(id.getLong(1));
                        }
                    }
                }
            }
            c.commit();
        }

        // once the second process has finished a job, kill it while it holds its next one
        String secondPid = Long.toString(second.process().pid());
        Long killedJob = null;
        long deadline = System.currentTimeMillis() + 600_000;
        while (killedJob == null && System.currentTimeMillis() < deadline) {
            Map<String, Long> byOwner = owners(jobs);
            if (byOwner.containsKey("done:" + secondPid) && byOwner.containsKey("running:" + secondPid)) {
                killedJob = byOwner.get("running:" + secondPid);
                second.process().destroyForcibly().waitFor();
            }
            Thread.sleep(200);
        }
        assertTrue(killedJob != null, "the second process took jobs: " + owners(jobs));

        while (System.currentTimeMillis() < deadline && !allDone(jobs)) {
            Thread.sleep(500);
        }
        assertTrue(allDone(jobs), "every job done: " + owners(jobs));
        try (Connection c = database(); PreparedStatement query = c.prepareStatement("""
                SELECT j.id, j.finished_by, j.attempts, (SELECT count(*) FROM explanation e WHERE e.job_id = j.id)
                FROM job j WHERE j.id = ANY (?)""")) {
            query.setArray(1, c.createArrayOf("int8", jobs.toArray()));
            int byFirst = 0;
            int bySecond = 0;
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    assertEquals(1, rows.getInt(4), "job " + rows.getLong(1) + " stored exactly one result");
                    String finishedBy = rows.getString(2);
                    byFirst += finishedBy.startsWith(first.process().pid() + "@") ? 1 : 0;
                    bySecond += finishedBy.startsWith(secondPid + "@") ? 1 : 0;
                    if (rows.getLong(1) == killedJob) {
                        assertTrue(finishedBy.startsWith(first.process().pid() + "@"),
                                "the killed worker's job was finished by the other");
                        assertEquals(2, rows.getInt(3), "after the lease ran out, a second attempt");
                    }
                }
            }
            assertTrue(byFirst >= 1 && bySecond >= 1, "both processes finished jobs: " + byFirst + "/" + bySecond);
            assertEquals(jobs.size(), byFirst + bySecond);
        }

        // a study opened and then closed through the first process: the web process stops offering it at once
        String photos = String.join(", ", List.of("n01980166_fiddler_crab", "n02088094_Afghan_hound",
                "n01601694_water_ouzel").stream().map(name -> {
                    try (Connection c = database(); PreparedStatement id = c.prepareStatement(
                            "SELECT id FROM image WHERE file_name = ?")) {
                        id.setString(1, name + ".JPEG");
                        try (ResultSet row = id.executeQuery()) {
                            row.next();
                            return Long.toString(row.getLong(1));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList());
        String[] ids = photos.split(", ");
        HttpResponse<String> created = send(first, "POST", "/api/studies", "{\"name\": \"Across processes\", "
                + "\"design\": {\"conditions\": [\"none\", \"sag\"], \"imageIds\": [" + ids[0] + ", " + ids[1]
                + "], \"practiceImageIds\": [" + ids[2] + "], \"questionKinds\": {\"neither-random\": 1}, "
                + "\"minGap\": 0.1, \"attentionChecks\": 0}}");
        assertEquals(201, created.statusCode(), created.body());
        Matcher study = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(created.body());
        assertTrue(study.find());
        String studyPath = "/api/studies/" + study.group(1);
        // the first process's worker evaluates the random options
        long readyDeadline = System.currentTimeMillis() + 300_000;
        while (get(first, studyPath).body().contains("being evaluated")
                && System.currentTimeMillis() < readyDeadline) {
            Thread.sleep(500);
        }
        HttpResponse<String> opened = send(first, "POST", studyPath + "/open", null);
        assertEquals(200, opened.statusCode(), opened.body());
        assertTrue(get(web, "/studies/" + study.group(1)).body().contains("id=\"agree\""),
                "the web process offers it");

        participantsSurviveADatabaseRestart(web, study.group(1));

        assertEquals(200, send(first, "POST", studyPath + "/close", null).statusCode());
        long closeDeadline = System.currentTimeMillis() + 3000;
        String landing = get(web, "/studies/" + study.group(1)).body();
        while (landing.contains("id=\"agree\"") && System.currentTimeMillis() < closeDeadline) {
            Thread.sleep(100);
            landing = get(web, "/studies/" + study.group(1)).body();
        }
        assertTrue(!landing.contains("id=\"agree\""), "the web process saw the close within 3 s");
    }

    /**
     * Participants answer through the web process while PostgreSQL restarts: while it is away they get 503 with
     * Retry-After (never a 500) and come back as told; once it is back no request fails; every answer is stored
     * exactly once.
     */
    private static void participantsSurviveADatabaseRestart(App web, String study) throws Exception {
        int participants = 4;
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong backAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        List<String> tokens = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < participants; p++) {
            String id = "restart-" + study + "-" + p;
            Thread thread = new Thread(() -> {
                try {
                    String token = json(call(web, "POST", "/api/studies/" + study + "/sessions",
                            "{\"PROLIFIC_PID\": \"" + id + "\"}", problems, backAt), "token");
                    tokens.add(token);
                    while (true) {
                        String next = call(web, "GET", "/api/sessions/" + token + "/next", null, problems, backAt);
                        if (next.contains("\"done\":true")) {
                            return;
                        }
                        String item = json(next, "itemId");
                        call(web, "POST", "/api/sessions/" + token + "/answers", "{\"itemId\": " + item
                                + ", \"side\": \"left\"}", problems, backAt);
                        answered.incrementAndGet();
                        Thread.sleep(300);
                    }
                } catch (Exception e) {
                    problems.add(id + ": " + e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        while (answered.get() < participants) {
            Thread.sleep(100);
        }
        Process restart = new ProcessBuilder("bash", "-c", System.getenv().getOrDefault("SAG_PG_RESTART",
                "pg_ctlcluster $(ls /usr/lib/postgresql | sort -n | tail -1) main restart")).inheritIO().start();
        assertEquals(0, restart.waitFor(), "PostgreSQL restarted (set SAG_PG_RESTART for another server)");
        backAt.set(System.currentTimeMillis());
        for (Thread thread : threads) {
            thread.join(300_000);
        }
        assertEquals(List.of(), problems);
        try (Connection c = database(); PreparedStatement query = c.prepareStatement("""
                SELECT count(*) FILTER (WHERE a.session_id IS NOT NULL), count(*) FROM trial t
                JOIN participant_session s ON s.id = t.session_id
                LEFT JOIN answer a ON a.session_id = t.session_id AND a.item_id = t.item_id
                WHERE s.token = ANY (?)""")) {
            query.setArray(1, c.createArrayOf("text", tokens.toArray()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertEquals(row.getInt(2), row.getInt(1), "every question of every participant has its answer");
                assertEquals(answered.get(), row.getInt(1), "and each answer was stored once");
            }
        }
    }

    /**
     * A participant's request, repeated as a browser would when told 503 + Retry-After; any other failure, and any
     * failure once the database is back (a second after the restart returned), is a problem.
     */
    private static String call(App app, String method, String path, String json, List<String> problems,
            java.util.concurrent.atomic.AtomicLong backAt) throws Exception {
        for (int attempt = 0; attempt < 120; attempt++) {
            HttpResponse<String> response;
            try {
                response = send(app, method, path, json);
            } catch (IOException e) {
                problems.add(method + " " + path + ": " + e);
                throw e;
            }
            if (response.statusCode() / 100 == 2) {
                return response.body();
            }
            boolean back = System.currentTimeMillis() > backAt.get() + 1000;
            if (response.statusCode() != 503 || back || response.headers().firstValue("Retry-After").isEmpty()) {
                problems.add(method + " " + path + " -> " + response.statusCode() + (back ? " after the restart" : "")
                        + ": " + response.body());
                throw new IllegalStateException(response.body());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(method + " " + path + " never succeeded");
    }

    private static String json(String body, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"?([^\",}]+)").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + body);
        }
        return m.group(1);
    }

    /** "state:pid" of each job's current or finishing owner, with one job id each. */
    private static Map<String, Long> owners(List<Long> jobs) throws Exception {
        Map<String, Long> owners = new TreeMap<>();
        try (Connection c = database(); PreparedStatement query = c.prepareStatement("""
                SELECT id, state, coalesce(lease_owner, finished_by) FROM job WHERE id = ANY (?)""")) {
            query.setArray(1, c.createArrayOf("int8", jobs.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String owner = rows.getString(3);
                    if (owner != null) {
                        owners.put(rows.getString(2) + ":" + owner.substring(0, owner.indexOf('@')), rows.getLong(1));
                    }
                }
            }
        }
        return owners;
    }

    private static boolean allDone(List<Long> jobs) throws Exception {
        try (Connection c = database(); PreparedStatement query = c.prepareStatement(
                "SELECT count(*) FROM job WHERE id = ANY (?) AND state = 'done'")) {
            query.setArray(1, c.createArrayOf("int8", jobs.toArray()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1) == jobs.size();
            }
        }
    }
}
