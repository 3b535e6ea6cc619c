package org.sagstudy.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.sagstudy.explain.FeatureClassifier;
import org.sagstudy.explain.GradientClassifier;
import org.sagstudy.explain.ImageBatch;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.Normalization;

/**
 * The engine's classifier on DJL's PyTorch engine, for a {@link ModelFolder}. Prediction uses the plain model in
 * inference mode; gradients (I-GOS, Grad-CAM) use a second instance loaded with trainable parameters (DJL otherwise
 * loads inference tensors that cannot be differentiated). Gradient calls are serialized process-wide: DJL allows one
 * gradient collector per process.
 *
 * <p>Closing waits for the passes in flight and refuses later ones, and a stopping process closes every classifier
 * in a shutdown hook: libtorch's exit handlers freed its kernels under a running pass when an evaluation got SIGTERM
 * (SIGSEGV in oneDNN and a JVM crash report, in most such stops).
 */
public final class TorchScriptClassifier implements GradientClassifier, FeatureClassifier, AutoCloseable {

    private static final String ENGINE = "PyTorch";
    /** DJL's PyTorch gradient collector is process-wide: one gradient computation at a time, across instances. */
    private static final Object GRADIENT_LOCK = new Object();
    private static final int INPUT_SIZE = 224;
    /** Longer than any pass; a pass that never ends must not keep the process from stopping. */
    private static final long CLOSE_WAIT_SECONDS = 120;

    private final ModelFolder folder;
    private final Device device;
    private final int batchSize;
    private final Model predictionModel;
    /** The model as exported (fp32), when predictions use a variant: it decides which class is explained. */
    private final Model exactModel;
    private final Model gradientModel;
    private final boolean gradientModelHasFeatures;
    private final Normalization normalization = Normalization.IMAGENET;
    private final int classCount;
    /** Held shared by every pass, alone by {@link #close()}. */
    private final ReentrantReadWriteLock passes = new ReentrantReadWriteLock();
    private volatile boolean closing;
    private boolean released;
    private final Thread closeAtExit = new Thread(this::close, "close-model-at-exit");

    private TorchScriptClassifier(ModelFolder folder, Device device, int batchSize) throws ModelFolder.InvalidModelException {
        this.folder = folder;
        this.device = device;
        this.batchSize = batchSize;
        Model prediction = null;
        Model exact = null;
        Model gradients = null;
        // loading and probing are native work too: a process stopping meanwhile waits for them (see close()). The
        // probes take GRADIENT_LOCK under this read lock; no deadlock, as close() never holds GRADIENT_LOCK.
        passes.readLock().lock();
        try {
            try {
                Runtime.getRuntime().addShutdownHook(closeAtExit);
            } catch (IllegalStateException stopping) {
                throw new ModelClosedException(folder.name());
            }
            prediction = load(folder.modelFile(), Map.of());
            this.predictionModel = prediction;
            exact = folder.variant().isDefault() ? null : load(folder.exportedModelFile(), Map.of());
            this.exactModel = exact;
            gradientModelHasFeatures = folder.gradCamFile() != null;
            gradients = load(gradientModelHasFeatures ? folder.gradCamFile() : folder.exportedModelFile(),
                    Map.of("trainParam", "true"));
            gradients.getBlock().freezeParameters(true);
            this.gradientModel = gradients;
            this.classCount = probeClassCount();
            checkGradientModelMatchesPrediction();
        } catch (ModelFolder.InvalidModelException | RuntimeException | Error e) {
            discard(prediction, exact, gradients);
            if (e instanceof RuntimeException && !(e instanceof ModelClosedException)) {
                throw new ModelFolder.InvalidModelException("model " + folder.modelFile() + " does not run on a "
                        + INPUT_SIZE + "x" + INPUT_SIZE + " RGB image: " + e.getMessage());
            }
            throw e;
        } finally {
            passes.readLock().unlock();
        }
        if (classCount != folder.labels().size()) {
            close();
            throw new ModelFolder.InvalidModelException("model " + folder.modelFile() + " has " + classCount
                    + " classes but synset.txt lists " + folder.labels().size());
        }
    }

    /**
     * Opens a model folder on the chosen device.
     *
     * @param deviceName {@code auto} (GPU when DJL sees one), {@code cpu} or {@code gpu}
     * @param batchSize  images per forward pass; 0 for the device's default
     */
    public static TorchScriptClassifier open(ModelFolder folder, String deviceName, int batchSize)
            throws ModelFolder.InvalidModelException {
        Device device = DeviceChoice.resolve(deviceName);
        return new TorchScriptClassifier(folder, device, batchSize > 0 ? batchSize : DeviceChoice.defaultBatchSize(device));
    }

    private Model load(java.nio.file.Path file, Map<String, String> options) throws ModelFolder.InvalidModelException {
        Model model;
        try {
            model = Model.newInstance(folder.name(), device, ENGINE);
        } catch (RuntimeException e) {
            throw new ModelFolder.InvalidModelException("cannot start DJL's PyTorch engine: " + e.getMessage());
        }
        try {
            String fileName = file.getFileName().toString();
            model.load(file.getParent(), fileName.substring(0, fileName.length() - 3), options);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelFolder.InvalidModelException("cannot load TorchScript model " + file + ": " + e.getMessage());
        }
    }

    /**
     * Gradients are taken in DJL's training mode, in which dropout and batch normalization would make them random,
     * couple the images of a batch, and update running statistics. Models must therefore behave the same in both
     * modes (export them frozen in eval mode, as the shared MobileNetV2 is); this probe refuses any that do not. A
     * variant is compared with the exported model it was made from, within its precision's rounding.
     */
    private void checkGradientModelMatchesPrediction() throws ModelFolder.InvalidModelException {
        java.util.Random random = new java.util.Random(11);
        float[] data = new float[2 * 3 * INPUT_SIZE * INPUT_SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        ImageBatch pair = new ImageBatch(2, INPUT_SIZE, data);
        float[][] expected = exactProbabilities(pair);
        for (int attempt = 0; attempt < 2; attempt++) {
            float[] probabilities = probabilityGradients(pair, 0).probabilities();
            for (int i = 0; i < 2; i++) {
                if (Math.abs(probabilities[i] - expected[i][0]) > 1e-4) {
                    throw new ModelFolder.InvalidModelException("model " + folder.exportedModelFile() + " gives other "
                            + "outputs when differentiated (training mode) than when predicting: export it with "
                            + "torch.jit.freeze(torch.jit.script(model.eval())) so dropout and batch norm are fixed");
                }
            }
        }
        if (exactModel != null) {
            double tolerance = folder.variant().precision().probabilityTolerance();
            float[][] variant = probabilities(pair);
            for (int i = 0; i < 2; i++) {
                double difference = Math.abs(variant[i][0] - expected[i][0]);
                if (difference > tolerance) {
                    throw new ModelFolder.InvalidModelException("model " + folder.modelFile() + " ("
                            + folder.variant().label() + ") differs from the fp32 model by " + difference + " in a "
                            + "class probability (at most " + tolerance + " expected): is it a variant of the same "
                            + "model?");
                }
            }
        }
    }

    private int probeClassCount() {
        float[][] probabilities = probabilities(new ImageBatch(1, INPUT_SIZE, new float[3 * INPUT_SIZE * INPUT_SIZE]));
        return probabilities[0].length;
    }

    public ModelFolder folder() {
        return folder;
    }

    public Device device() {
        return device;
    }

    @Override
    public int inputSize() {
        return INPUT_SIZE;
    }

    @Override
    public int classCount() {
        return classCount;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public Normalization normalization() {
        return normalization;
    }

    @Override
    public boolean providesFeatures() {
        return gradientModelHasFeatures;
    }

    @Override
    public float[][] probabilities(ImageBatch batch) {
        return probabilities(predictionModel, batch);
    }

    @Override
    public int predictedClass(ImageTensor image, float[] probabilities) {
        return GradientClassifier.super.predictedClass(image,
                exactModel == null ? probabilities : exactProbabilities(ImageBatch.of(List.of(image)))[0]);
    }

    /** The exported fp32 model's probabilities: the prediction model's, unless that is a variant. */
    private float[][] exactProbabilities(ImageBatch batch) {
        return probabilities(exactModel == null ? predictionModel : exactModel, batch);
    }

    private float[][] probabilities(Model model, ImageBatch batch) {
        return pass(() -> forward(model, batch));
    }

    private float[][] forward(Model model, ImageBatch batch) {
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            NDArray input = normalized(manager, batch);
            NDList output = model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false);
            NDArray probabilities = output.get(0).softmax(1);
            float[] flat = probabilities.toFloatArray();
            int classes = (int) probabilities.getShape().get(1);
            float[][] result = new float[batch.count()][classes];
            for (int i = 0; i < batch.count(); i++) {
                System.arraycopy(flat, i * classes, result[i], 0, classes);
            }
            return result;
        }
    }

    @Override
    public ProbabilityGradients probabilityGradients(ImageBatch batch, int classIndex) {
        return probabilityGradients(batch, GradientClassifier.sameClassForEveryImage(batch, classIndex));
    }

    @Override
    public ProbabilityGradients probabilityGradients(ImageBatch batch, int[] classIndices) {
        synchronized (GRADIENT_LOCK) {
            return pass(() -> computeProbabilityGradients(batch, classIndices));
        }
    }

    private ProbabilityGradients computeProbabilityGradients(ImageBatch batch, int[] classIndices) {
        Block block = gradientModel.getBlock();
        try (NDManager manager = gradientModel.getNDManager().newSubManager(device);
                GradientCollector collector = Engine.getEngine(ENGINE).newGradientCollector()) {
            NDArray input = manager.create(FloatBuffer.wrap(batch.data()), shape(batch));
            input.setRequiresGradient(true);
            NDArray normalized = normalize(manager, input);
            NDList output = block.forward(new ParameterStore(manager, false), new NDList(normalized), true);
            NDArray softmax = output.get(0).softmax(1);
            // each row's own class, picked by a one-hot mask (a batch may hold several explanations' images)
            float[] oneHot = new float[batch.count() * classCount];
            for (int i = 0; i < batch.count(); i++) {
                oneHot[i * classCount + classIndices[i]] = 1f;
            }
            NDArray probabilities = softmax.mul(manager.create(oneHot, new Shape(batch.count(), classCount))).sum(
                    new int[] {1});
            // Images of a batch do not interact (no batch statistics), so the gradient of the sum is each one's own.
            collector.backward(probabilities.sum());
            return new ProbabilityGradients(probabilities.toFloatArray(), input.getGradient().toFloatArray());
        }
    }

    @Override
    public ClassActivations activations(ImageTensor image, int classIndex) {
        synchronized (GRADIENT_LOCK) {
            return pass(() -> computeActivations(image, classIndex));
        }
    }

    private ClassActivations computeActivations(ImageTensor image, int classIndex) {
        if (!gradientModelHasFeatures) {
            throw new IllegalStateException("model folder " + folder.directory() + " has no " + folder.name()
                    + ModelFolder.GRADCAM_SUFFIX + ".pt (features output) for Grad-CAM");
        }
        Block block = gradientModel.getBlock();
        try (NDManager manager = gradientModel.getNDManager().newSubManager(device);
                GradientCollector collector = Engine.getEngine(ENGINE).newGradientCollector()) {
            NDArray input = manager.create(FloatBuffer.wrap(image.data()), new Shape(1, 3, image.height(), image.width()));
            // The parameters are frozen, so the graph to the features exists only through the input.
            input.setRequiresGradient(true);
            NDList output = block.forward(new ParameterStore(manager, false), new NDList(normalize(manager, input)), true);
            NDArray logit = output.get(0).get(0, classIndex);
            NDArray features = output.get(1);
            collector.backward(logit);
            Shape shape = features.getShape();
            return new ClassActivations((int) shape.get(1), (int) shape.get(2), (int) shape.get(3),
                    features.toFloatArray(), features.getGradient().toFloatArray(), logit.getFloat());
        }
    }

    private NDArray normalized(NDManager manager, ImageBatch batch) {
        return normalize(manager, manager.create(FloatBuffer.wrap(batch.data()), shape(batch)));
    }

    private NDArray normalize(NDManager manager, NDArray input) {
        NDArray mean = manager.create(normalization.mean(), new Shape(1, 3, 1, 1));
        NDArray std = manager.create(normalization.std(), new Shape(1, 3, 1, 1));
        return input.sub(mean).div(std);
    }

    private static Shape shape(ImageBatch batch) {
        return new Shape(batch.count(), 3, batch.size(), batch.size());
    }

    /** Runs a pass on the native models, unless the classifier is closing. */
    private <T> T pass(Supplier<T> pass) {
        passes.readLock().lock();
        try {
            if (closing) {
                throw new ModelClosedException(folder.name());
            }
            return pass.get();
        } finally {
            passes.readLock().unlock();
        }
    }

    /**
     * Refuses new passes at once, then frees the models once the passes in flight are done. A pass still running
     * after {@link #CLOSE_WAIT_SECONDS} keeps its models, and the hook stays to try again when the process exits.
     */
    @Override
    public void close() {
        closing = true;
        boolean interrupted = false;
        boolean locked = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        // an interrupt must not make it free nothing: a pass left running is what crashed the stopping process
        while (!locked && System.nanoTime() < deadline) {
            try {
                locked = passes.writeLock().tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (locked) {
            try {
                if (!released) {
                    discard(predictionModel, exactModel, gradientModel);
                }
            } finally {
                passes.writeLock().unlock();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Frees models (all of them at close, what it had loaded when the constructor fails) and unregisters the hook;
     * the caller holds the lock.
     */
    private void discard(Model... loaded) {
        for (Model model : loaded) {
            if (model != null) {
                model.close();
            }
        }
        released = true;
        forgetAtExit();
    }

    private void forgetAtExit() {
        try {
            Runtime.getRuntime().removeShutdownHook(closeAtExit);
        } catch (IllegalStateException stopping) {
            // the process is stopping: this may be the hook itself, and nothing is left to unregister
        }
    }
}
