package org.sagstudy.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * One jar, two uses: {@code explain}, {@code evaluate} and {@code benchmark} run the engine from the command line
 * without starting the server or touching the database; {@code study-load} and {@code study-simulate} drive a running
 * server's study API; anything else starts the server.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        String command = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "explain" -> System.exit(new ExplainCommand(System.out, System.err).run(rest));
            case "evaluate" -> System.exit(new EvaluateCommand(System.out, System.err).run(rest));
            case "benchmark" -> System.exit(new BenchmarkCommand(System.out, System.err).run(rest));
            case "study-load" -> System.exit(new StudyLoadCommand(System.out, System.err).run(rest));
            case "study-simulate" -> System.exit(new StudySimulateCommand(System.out, System.err).run(rest));
            case "help", "--help", "-h" -> System.out.println("""
                    usage: java -jar quarkus-run.jar [explain|evaluate|benchmark|study-load|study-simulate] [--help] ...
                    Without a command the server starts (port 8080, needs the database).""");
            default -> Quarkus.run(args);
        }
    }
}
