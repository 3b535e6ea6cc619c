package org.sagstudy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.StudyApi;

/** The load benchmark's own bookkeeping, against the test server: its check must see what the database holds. */
@QuarkusTest
class StudyLoadCommandTest {

    @TestHTTPResource("/")
    URL server;

    private record Run(int status, String out) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        all[0] = "--url";
        all[1] = server.toString();
        all[2] = "--password";
        all[3] = "test-secret";
        System.arraycopy(args, 0, all, 4, args.length);
        int status = new StudyLoadCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
        return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void participantsAnswerEveryQuestionAndEachAnswerIsFoundOnceInTheDatabase() throws Exception {
        long study = StudyApi.openStudy("\"gradcam\", \"sag\"");
        Run run = run("--study", Long.toString(study), "--participants", "6", "--ramp-s", "0", "--think-ms", "0");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("participants: 6 completed, 0 failed"), run.out());
        assertTrue(run.out().matches("(?s).*check: (\\d+) answers in the database for \\1 accepted; lost 0, "
                + "duplicated 0, unexpected 0, sessions with answers missing 0.*"), run.out());
        assertTrue(run.out().matches("(?s).*\\nstart\\s+6 requests.*"), run.out());
    }

    @Test
    void startsOnlyStartsDistinctSessionsAndAnswersNothing() throws Exception {
        long study = StudyApi.openStudy("\"gradcam\", \"sag\"");
        Run run = run("--study", Long.toString(study), "--participants", "5", "--ramp-s", "0", "--starts-only");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("check: 5 sessions started for 5 participants"), run.out());
        assertTrue(run.out().contains("answer: no requests"), run.out());
    }

    @Test
    void aStudyThatIsNotOpenFailsTheRun() {
        Run run = run("--study", "987654321", "--participants", "2", "--ramp-s", "0", "--starts-only");
        assertEquals(1, run.status(), run.out());
        assertTrue(run.out().contains("2 failed"), run.out());
    }
}
