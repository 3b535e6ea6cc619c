package org.sagstudy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.sagstudy.explain.ExplainParameters;
import org.sagstudy.model.ModelFolder;
import org.sagstudy.model.TorchScriptClassifier;

/**
 * The frame of every engine command: parse and check the options before the model loads, open the model, run, and
 * turn every expected failure into one {@code error:} line and exit code 2.
 */
abstract class EngineCommand {

    protected final PrintStream out;
    protected final PrintStream err;
    private final String usage;
    /** The arguments as given, for reports that say how to rerun them. */
    protected List<String> arguments = List.of();

    EngineCommand(String usage, PrintStream out, PrintStream err) {
        this.usage = usage;
        this.out = out;
        this.err = err;
    }

    /** Works on the images with the opened model; returns the exit code (0 all done, 1 some images failed). */
    abstract int execute(Options options, ExplainParameters parameters, List<Path> images,
            TorchScriptClassifier classifier) throws IOException;

    /** Flags (options without a value) this command accepts. */
    Set<String> flags() {
        return EngineSetup.FLAGS;
    }

    /** Command-specific checks and adjustments, before the model loads. */
    ExplainParameters prepare(Options options, ExplainParameters parameters) throws Options.UsageException {
        return parameters;
    }

    final int run(String[] args) {
        arguments = List.of(args);
        Options options;
        ExplainParameters parameters;
        List<Path> images;
        try {
            options = Options.parse(args, EngineSetup.VALUED, flags());
            if (options.has("help")) {
                out.print(usage);
                return 0;
            }
            parameters = prepare(options, EngineSetup.parameters(options));
            images = EngineSetup.images(options.positional());
            if (images.isEmpty()) {
                throw new Options.UsageException("no images given (or no images in the given folders)");
            }
        } catch (Options.UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(usage);
            return 2;
        }
        try (TorchScriptClassifier classifier = EngineSetup.openClassifier(options)) {
            return execute(options, parameters, images, classifier);
        } catch (ModelFolder.InvalidModelException | Options.UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("error: unexpected failure: " + e);
            return 2;
        }
    }

    /** One image's failure inside the engine (e.g. out of memory on the device) ends that image, not the run. */
    static String describe(RuntimeException e) {
        return "failed in the engine: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
