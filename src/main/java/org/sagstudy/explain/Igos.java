package org.sagstudy.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * I-GOS (Qi, Khorram, Li, AAAI 2020) as docs/METHOD.md section 4 gives it: a deletion mask m in [0,1] (1 keeps a pixel)
 * descended along integrated gradients of the class probability plus an L1 and total-variation regularizer, with a
 * backtracking line search. The integration steps of one iteration form one gradient batch. Noise is drawn from a
 * seeded generator, so the same image and seed give the same mask.
 */
public final class Igos {

    /**
     * @param noise {@code SPEC}: Gaussian noise of {@code noiseSigma} on every channel in normalized space;
     *              {@code REFERENCE}: what the authors' {@code cv2.randn} call produces, noise on the first (red)
     *              channel only, added twice (so twice the sigma)
     */
    public record Settings(int maskSide, int iterations, int integrationSteps, double l1, double tv, double noiseSigma,
            Noise noise) {

        public static final Settings SEARCH = new Settings(7, 2, 20, 1.0, 20.0, 0.2, Noise.SPEC);
        public static final Settings DISPLAY = new Settings(28, 15, 20, 1.0, 20.0, 0.2, Noise.SPEC);

        public Settings withNoise(Noise model) {
            return new Settings(maskSide, iterations, integrationSteps, l1, tv, noiseSigma, model);
        }
    }

    public enum Noise { SPEC, REFERENCE }

    /** Told after each iteration (I-GOS is the longest part of an explanation with heat maps). */
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void iterationDone(int done, int total);
    }

    private static final double INITIAL_STEP = 200;
    private static final double ARMIJO = 1e-4;
    private static final double SHRINK = 0.2;
    private static final double MIN_STEP = 1e-5;

    private final GradientClassifier classifier;
    private final PatchGrid grid;
    private final Settings settings;
    private final int classIndex;
    private final float[] baseline;
    private final float[] difference;
    private final EvaluationStats stats;
    /** The L1 weight of the coming iteration (the authors lower it when the mask is stuck). */
    private double l1;
    private final List<Double> l1Schedule = new ArrayList<>();

    private Igos(GradientClassifier classifier, ImageTensor image, ImageTensor baseline, int classIndex,
            Settings settings, EvaluationStats stats) {
        this.classifier = classifier;
        this.grid = new PatchGrid(settings.maskSide(), image.width());
        this.settings = settings;
        this.classIndex = classIndex;
        this.stats = stats;
        this.l1 = settings.l1();
        this.baseline = baseline.data();
        this.difference = new float[image.data().length];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = image.data()[i] - this.baseline[i];
        }
    }

    /**
     * Importance, {@code 1 - m} of the optimized mask, row-major {@code maskSide x maskSide}. Returned this way
     * because on confident images the line search often moves the mask by less than float precision near 1 (the
     * mask itself is optimized in double precision), while {@code 1 - m} keeps those differences.
     */
    public static float[] importance(GradientClassifier classifier, ImageTensor image, ImageTensor baseline,
            int classIndex, Settings settings, long seed, EvaluationStats stats) {
        return importance(classifier, image, baseline, classIndex, settings, seed, stats, Progress.NONE);
    }

    public static float[] importance(GradientClassifier classifier, ImageTensor image, ImageTensor baseline,
            int classIndex, Settings settings, long seed, EvaluationStats stats, Progress progress) {
        Igos igos = new Igos(classifier, image, baseline, classIndex, settings, stats);
        double[] mask = igos.optimize(new Random(seed), progress);
        float[] importance = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            importance[i] = (float) (1 - mask[i]);
        }
        return importance;
    }

    /** The optimized mask and the L1 weight each iteration left for the next. */
    record Trace(double[] mask, List<Double> l1Schedule) {
    }

    static Trace trace(GradientClassifier classifier, ImageTensor image, ImageTensor baseline, int classIndex,
            Settings settings, long seed, EvaluationStats stats) {
        Igos igos = new Igos(classifier, image, baseline, classIndex, settings, stats);
        double[] mask = igos.optimize(new Random(seed), Progress.NONE);
        return new Trace(mask, List.copyOf(igos.l1Schedule));
    }

    /** Patch indices by descending importance, i.e. ascending mask value (most important first); ties by index. */
    public static int[] ranking(float[] importance) {
        return HeatMaps.descendingOrder(importance);
    }

    private double[] optimize(Random random, Progress progress) {
        double[] mask = new double[grid.patchCount()];
        Arrays.fill(mask, 1);
        double[] probabilityAtStart = new double[settings.iterations()];
        for (int iteration = 0; iteration < settings.iterations(); iteration++) {
            double[] gradient = regularizerGradient(mask);
            float[] dataGradient = grid.adjoint(integratedPixelGradient(grid.upsample(toFloat(mask)), random));
            double squaredNorm = 0;
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] += dataGradient[i];
                squaredNorm += (double) gradient[i] * gradient[i];
            }
            probabilityAtStart[iteration] = probability(mask);
            double lossAtMask = regularizer(mask) + probabilityAtStart[iteration];
            double step = INITIAL_STEP;
            double lossAtStep = loss(stepped(mask, gradient, step));
            while (lossAtStep > lossAtMask - ARMIJO * step * squaredNorm) {
                step *= SHRINK;
                lossAtStep = loss(stepped(mask, gradient, step));
                if (step < MIN_STEP) {
                    break;
                }
            }
            mask = stepped(mask, gradient, step);
            l1 = rescaledL1(l1, iteration, settings.iterations(), probabilityAtStart);
            l1Schedule.add(l1);
            progress.iterationDone(iteration + 1, settings.iterations());
        }
        return mask;
    }

    /**
     * The authors' re-scaling of the L1 weight when the mask has hardly moved the class probability (only in runs of
     * more than 3 iterations): after iteration {@code n/2}, divided by 10 if the probability moved by at most 0.001;
     * after iteration {@code int(n/1.25)}, by 5 if it moved by at most 0.01. Their curve holds the probability at the
     * start of iteration 0 twice, so at iteration i they compare with the start of iteration i-1.
     */
    static double rescaledL1(double l1, int iteration, int iterations, double[] probabilityAtStart) {
        if (iterations <= 3 || iteration == 0) {
            return l1;
        }
        double moved = Math.abs(probabilityAtStart[0] - probabilityAtStart[iteration - 1]);
        if (iteration == iterations / 2) {
            return moved <= 0.001 ? l1 / 10 : l1;
        }
        if (iteration == (int) (iterations / 1.25)) {
            return moved <= 0.01 ? l1 / 5 : l1;
        }
        return l1;
    }

    private static double[] stepped(double[] mask, double[] gradient, double step) {
        double[] next = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            next[i] = Math.max(0, Math.min(1, mask[i] - step * gradient[i]));
        }
        return next;
    }

    private static float[] toFloat(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    /** Regularizer plus the class probability of the image masked by {@code mask} (no noise, full strength). */
    private double loss(double[] mask) {
        return regularizer(mask) + probability(mask);
    }

    private double probability(double[] mask) {
        float[] upsampled = grid.upsample(toFloat(mask));
        float[] data = new float[difference.length];
        int plane = upsampled.length;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                data[c * plane + i] = baseline[c * plane + i] + upsampled[i] * difference[c * plane + i];
            }
        }
        long started = System.nanoTime();
        float probability = classifier.probabilities(new ImageBatch(1, grid.imageSize(), data))[0][classIndex];
        stats.recordForward(1, System.nanoTime() - started);
        return probability;
    }

    double regularizer(double[] mask) {
        double removed = 0;
        for (double v : mask) {
            removed += Math.abs(1 - v);
        }
        int side = grid.side();
        double rows = 0;
        double cols = 0;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                if (r + 1 < side) {
                    double d = mask[r * side + c] - mask[(r + 1) * side + c];
                    rows += d * d;
                }
                if (c + 1 < side) {
                    double d = mask[r * side + c] - mask[r * side + c + 1];
                    cols += d * d;
                }
            }
        }
        int pairs = (side - 1) * side;
        return l1 * removed / mask.length + settings.tv() * (rows / pairs + cols / pairs);
    }

    /** Gradient of {@link #regularizer}; |1-m| has gradient 0 where m = 1, as torch's abs does. */
    double[] regularizerGradient(double[] mask) {
        int side = grid.side();
        int pairs = (side - 1) * side;
        double[] gradient = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            gradient[i] = -l1 * Math.signum(1 - mask[i]) / mask.length;
        }
        double scale = 2 * settings.tv() / pairs;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                int here = r * side + c;
                if (r + 1 < side) {
                    double d = mask[here] - mask[here + side];
                    gradient[here] += scale * d;
                    gradient[here + side] -= scale * d;
                }
                if (c + 1 < side) {
                    double d = mask[here] - mask[here + 1];
                    gradient[here] += scale * d;
                    gradient[here + 1] -= scale * d;
                }
            }
        }
        return gradient;
    }

    /**
     * d/dU of (1/N) sum_i p(b + (i/N) U (x - b) + noise_i): the integrated gradient with respect to the upsampled mask.
     */
    private float[] integratedPixelGradient(float[] upsampled, Random random) {
        int steps = settings.integrationSteps();
        float[] pixelGradient = new float[upsampled.length];
        int batchSize = Math.max(1, classifier.batchSize());
        List<Integer> pending = new ArrayList<>();
        for (int i = 1; i <= steps; i++) {
            pending.add(i);
        }
        for (int start = 0; start < steps; start += batchSize) {
            List<Integer> chunk = pending.subList(start, Math.min(steps, start + batchSize));
            float[] data = interpolated(chunk, steps, upsampled, random);
            long started = System.nanoTime();
            GradientClassifier.ProbabilityGradients result =
                    classifier.probabilityGradients(new ImageBatch(chunk.size(), grid.imageSize(), data), classIndex);
            stats.recordGradient(chunk.size(), System.nanoTime() - started);
            addWeighted(pixelGradient, chunk, steps, result.gradients());
        }
        return pixelGradient;
    }

    /** The images of these integration steps: b + (i/N) U (x - b), with the noise of the settings. */
    private float[] interpolated(List<Integer> chunk, int steps, float[] upsampled, Random random) {
        int plane = upsampled.length;
        int length = difference.length;
        float[] std = classifier.normalization().std();
        float[] data = new float[chunk.size() * length];
        for (int k = 0; k < chunk.size(); k++) {
            float alpha = chunk.get(k) / (float) steps;
            int offset = k * length;
            for (int c = 0; c < 3; c++) {
                double sigma = noiseSigma(c) * std[c];
                for (int i = 0; i < plane; i++) {
                    int at = c * plane + i;
                    float noise = sigma == 0 ? 0f : (float) (random.nextGaussian() * sigma);
                    data[offset + at] = baseline[at] + alpha * upsampled[i] * difference[at] + noise;
                }
            }
        }
        return data;
    }

    /** Adds the chain rule's share of each step's pixel gradients to the gradient with respect to the mask. */
    private void addWeighted(float[] pixelGradient, List<Integer> chunk, int steps, float[] gradients) {
        int plane = pixelGradient.length;
        int length = difference.length;
        for (int k = 0; k < chunk.size(); k++) {
            float weight = chunk.get(k) / (float) steps / steps;
            int offset = k * length;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    int at = c * plane + i;
                    pixelGradient[i] += weight * gradients[offset + at] * difference[at];
                }
            }
        }
    }

    private double noiseSigma(int channel) {
        return switch (settings.noise()) {
            case SPEC -> settings.noiseSigma();
            case REFERENCE -> channel == 0 ? 2 * settings.noiseSigma() : 0;
        };
    }
}
