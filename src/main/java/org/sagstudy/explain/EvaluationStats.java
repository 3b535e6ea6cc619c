package org.sagstudy.explain;

/** Counts the model work done for one image; cache hits are evaluations that did not reach the model. */
public final class EvaluationStats {

    private long forwardPasses;
    private long batches;
    private long cacheHits;
    private long gradientPasses;
    private long gradientBatches;
    private long modelNanos;

    void recordForward(int images, long nanos) {
        forwardPasses += images;
        batches++;
        modelNanos += nanos;
    }

    void recordGradient(int images, long nanos) {
        gradientPasses += images;
        gradientBatches++;
        modelNanos += nanos;
    }

    void recordCacheHits(int hits) {
        cacheHits += hits;
    }

    public Snapshot snapshot() {
        return new Snapshot(forwardPasses, batches, cacheHits, gradientPasses, gradientBatches, modelNanos / 1_000_000);
    }

    /**
     * @param forwardPasses images evaluated by the model without gradients
     * @param gradientPasses images evaluated with a backward pass (I-GOS, Grad-CAM)
     * @param modelMillis time spent inside the classifier
     */
    public record Snapshot(long forwardPasses, long batches, long cacheHits, long gradientPasses, long gradientBatches,
            long modelMillis) {
    }
}
