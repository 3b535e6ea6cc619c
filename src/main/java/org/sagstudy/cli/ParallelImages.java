package org.sagstudy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Work on several photos at once, results in the photos' order; the first failure is thrown. */
final class ParallelImages {

    private ParallelImages() {
    }

    static <I, O> List<O> run(List<I> inputs, int inFlight, Function<I, O> work) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(inFlight, inputs.size())));
        try {
            List<Future<O>> futures = new ArrayList<>();
            for (I input : inputs) {
                futures.add(pool.submit(() -> work.apply(input)));
            }
            List<O> outputs = new ArrayList<>();
            for (Future<O> future : futures) {
                outputs.add(future.get());
            }
            return outputs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
