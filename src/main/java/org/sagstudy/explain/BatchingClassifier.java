package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several explanations at once share the model's passes. A search level asks for only a few new masked images (most
 * are cached), which keeps a GPU idle; explanations running in their own threads hand their requests to this
 * classifier, which merges whatever is pending, from every explanation, into passes of up to the model's batch size
 * (waiting at most {@code maxWait} for more to arrive), runs them, and gives each caller its own rows. Gradient passes
 * (I-GOS) are merged the same way, each image with its own class. Each image's values are those it would get alone:
 * the images of a pass do not interact.
 */
public final class BatchingClassifier implements GradientClassifier, FeatureClassifier, AutoCloseable {

    /** Passes and images through them, to report the mean batch size. */
    public record Counts(long passes, long images, long gradientPasses, long gradientImages) {

        public double meanBatch() {
            return passes == 0 ? 0 : (double) images / passes;
        }

        public double meanGradientBatch() {
            return gradientPasses == 0 ? 0 : (double) gradientImages / gradientPasses;
        }
    }

    /** One caller's images, with a class per image for gradient requests (null for probabilities). */
    private record Request(ImageBatch batch, int[] classes, CompletableFuture<Object> result) {
    }

    private final GradientClassifier model;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Request> forward = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Request> gradient = new LinkedBlockingQueue<>();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    private final AtomicLong gradientPasses = new AtomicLong();
    private final AtomicLong gradientImages = new AtomicLong();
    private final List<Thread> dispatchers = new ArrayList<>();
    private volatile boolean open = true;

    public BatchingClassifier(GradientClassifier model, long maxWaitMillis) {
        this.model = model;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        dispatchers.add(dispatcher("sag-batches", forward, false));
        dispatchers.add(dispatcher("sag-gradient-batches", gradient, true));
    }

    private Thread dispatcher(String name, LinkedBlockingQueue<Request> queue, boolean gradients) {
        Thread thread = new Thread(() -> dispatch(queue, gradients), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public Counts counts() {
        return new Counts(passes.get(), images.get(), gradientPasses.get(), gradientImages.get());
    }

    @Override
    public int inputSize() {
        return model.inputSize();
    }

    @Override
    public int classCount() {
        return model.classCount();
    }

    @Override
    public Normalization normalization() {
        return model.normalization();
    }

    @Override
    public int batchSize() {
        return model.batchSize();
    }

    @Override
    public float[][] probabilities(ImageBatch batch) {
        return (float[][]) await(submit(forward, new Request(batch, null, new CompletableFuture<>())));
    }

    @Override
    public ProbabilityGradients probabilityGradients(ImageBatch batch, int classIndex) {
        return probabilityGradients(batch, GradientClassifier.sameClassForEveryImage(batch, classIndex));
    }

    @Override
    public ProbabilityGradients probabilityGradients(ImageBatch batch, int[] classIndices) {
        return (ProbabilityGradients) await(submit(gradient, new Request(batch, classIndices.clone(),
                new CompletableFuture<>())));
    }

    @Override
    public int predictedClass(ImageTensor image, float[] probabilities) {
        return model.predictedClass(image, probabilities);
    }

    /** Grad-CAM is one pass per photo: passed through. */
    @Override
    public ClassActivations activations(ImageTensor image, int classIndex) {
        return ((FeatureClassifier) model).activations(image, classIndex);
    }

    @Override
    public boolean providesFeatures() {
        return model instanceof FeatureClassifier features && features.providesFeatures();
    }

    private CompletableFuture<Object> submit(LinkedBlockingQueue<Request> queue, Request request) {
        if (!open) {
            throw closed();
        }
        queue.add(request);
        if (!open && queue.remove(request)) {
            // closed between the check and the add: no dispatcher will take it
            throw closed();
        }
        return request.result();
    }

    private static IllegalStateException closed() {
        return new IllegalStateException("the batching classifier is closed");
    }

    private static Object await(CompletableFuture<Object> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause());
        }
    }

    private void dispatch(LinkedBlockingQueue<Request> queue, boolean gradients) {
        while (open) {
            List<Request> taken = new ArrayList<>();
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                int count = first.batch().count();
                long deadline = System.nanoTime() + maxWaitNanos;
                while (count < batchSize()) {
                    Request next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    taken.add(next);
                    count += next.batch().count();
                }
                run(taken, gradients);
            } catch (InterruptedException e) {
                taken.forEach(r -> r.result().completeExceptionally(e));
                return;
            } catch (RuntimeException | Error e) {
                taken.forEach(r -> r.result().completeExceptionally(e));
            }
        }
    }

    /** Runs the taken requests in passes of at most the batch size (a request larger than that runs alone). */
    private void run(List<Request> taken, boolean gradients) {
        List<Request> pass = new ArrayList<>();
        int count = 0;
        for (Request request : taken) {
            if (!pass.isEmpty() && count + request.batch().count() > batchSize()) {
                runPass(pass, gradients);
                pass = new ArrayList<>();
                count = 0;
            }
            pass.add(request);
            count += request.batch().count();
        }
        if (!pass.isEmpty()) {
            runPass(pass, gradients);
        }
    }

    /** One merged pass; a failure goes to the requests of this pass only. */
    private void runPass(List<Request> pass, boolean gradients) {
        try {
            runMerged(pass, gradients);
        } catch (RuntimeException | Error e) {
            pass.forEach(r -> r.result().completeExceptionally(e));
        }
    }

    private void runMerged(List<Request> pass, boolean gradients) {
        int total = pass.stream().mapToInt(r -> r.batch().count()).sum();
        int size = pass.get(0).batch().size();
        int length = pass.get(0).batch().imageLength();
        float[] data = new float[total * length];
        int[] classes = gradients ? new int[total] : null;
        int at = 0;
        for (Request request : pass) {
            System.arraycopy(request.batch().data(), 0, data, at * length, request.batch().data().length);
            if (gradients) {
                System.arraycopy(request.classes(), 0, classes, at, request.batch().count());
            }
            at += request.batch().count();
        }
        ImageBatch merged = new ImageBatch(total, size, data);
        if (gradients) {
            ProbabilityGradients result = model.probabilityGradients(merged, classes);
            gradientPasses.incrementAndGet();
            gradientImages.addAndGet(total);
            at = 0;
            for (Request request : pass) {
                int n = request.batch().count();
                request.result().complete(new ProbabilityGradients(
                        java.util.Arrays.copyOfRange(result.probabilities(), at, at + n),
                        java.util.Arrays.copyOfRange(result.gradients(), at * length, (at + n) * length)));
                at += n;
            }
        } else {
            float[][] result = model.probabilities(merged);
            passes.incrementAndGet();
            images.addAndGet(total);
            at = 0;
            for (Request request : pass) {
                int n = request.batch().count();
                request.result().complete(java.util.Arrays.copyOfRange(result, at, at + n));
                at += n;
            }
        }
    }

    /**
     * Stops taking requests, lets a pass in progress finish (the model may be closed right after this returns), and
     * fails the requests still waiting.
     */
    @Override
    public void close() {
        open = false;
        dispatchers.forEach(Thread::interrupt);
        for (Thread dispatcher : dispatchers) {
            try {
                dispatcher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (LinkedBlockingQueue<Request> queue : List.of(forward, gradient)) {
            for (Request request = queue.poll(); request != null; request = queue.poll()) {
                request.result().completeExceptionally(closed());
            }
        }
    }
}
