package ai.distill4j.distill;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.callback.EvaluationRecord;
import ai.distill4j.distill.checkpoint.Checkpoint;
import ai.distill4j.distill.checkpoint.CheckpointStore;
import ai.distill4j.distill.checkpoint.TrainingState;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.OutputFolder;
import ai.distill4j.distill.internal.ProgressBar;
import ai.distill4j.distill.internal.Seeds;
import ai.distill4j.distill.log.EvalLog;
import ai.distill4j.distill.log.LossCurvePlot;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.TensorBoardWriter;
import ai.distill4j.distill.optim.GradientClipping;
import ai.distill4j.distill.optim.InPlaceOptimizer;
import ai.distill4j.distill.optim.ParameterGroup;
import ai.distill4j.model.io.SafetensorsReader;
import ai.distill4j.model.io.SafetensorsWriter;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training engine shared by every distiller: TextBrewer's {@code train()} loop with its exact rules for gradient
 * accumulation, checkpoints ({@code ckpt_frequency}, {@code ckpt_epoch_frequency}, {@code ckpt_steps}) and weight
 * schedules, plus what TextBrewer lacks: exact resume, evaluation with best-model tracking and early stopping,
 * global-norm clipping over student and projection parameters, and logs ({@code metrics.jsonl}, TensorBoard events,
 * a progress bar and a PNG of the loss curves).
 *
 * <p>One forward batch: the engine is reseeded from {@code (seed, global batch index)}; the teacher(s) run in eval
 * mode with gradients off on this thread, outside the gradient collector, their parameters frozen; the student runs
 * in train mode inside the collector; the total loss divided by {@code gradient_accumulation_steps} is
 * back-propagated; every scalar is copied to the host in one transfer and logged. Every array of the step lives in a
 * per-step manager closed at the end of the step. After {@code gradient_accumulation_steps} batches: clip, update in
 * place, advance the learning-rate schedule, maybe checkpoint, evaluate and call the callbacks.
 *
 * <p>Subclasses provide the teacher forward pass and the loss; see {@link BasicTrainer}, {@link BasicDistiller},
 * {@link GeneralDistiller}, {@link MultiTeacherDistiller} and {@link MultiTaskDistiller}. A distiller owns native
 * memory (projections, caches): close it when done.
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public abstract class Distiller<B> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Distiller.class);

    /** The file, inside a checkpoint, holding optimizer state and extra trainable parameters. */
    public static final String TRAINER_STATE = "trainer.safetensors";
    /** The folder, inside a checkpoint, holding the student's weights. */
    public static final String STUDENT_DIR = "student";
    /** The file, inside a checkpoint, holding the configs the run was made with. */
    public static final String RUN_CONFIG = "run-config.json";
    /** The PNG of the loss curves written at the end of training. */
    public static final String PLOT_FILE = "loss-curves.png";

    /** The training config. */
    protected final TrainingConfig trainingConfig;
    /** The manager owning the distiller's own arrays (projections, caches). */
    protected final NDManager manager;

    private final DistillModel<?, ?> studentModel;
    private final List<DistillModel<?, ?>> teacherModels;
    private TrainResult lastResult;

    /**
     * Creates the engine: freezes the teachers' parameters and makes sure the student's require gradients.
     *
     * @param trainingConfig the training config
     * @param student the student model
     * @param teachers the teacher models (none for {@link BasicTrainer})
     */
    protected Distiller(TrainingConfig trainingConfig, DistillModel<?, ?> student, List<DistillModel<?, ?>> teachers) {
        this.trainingConfig = Objects.requireNonNull(trainingConfig, "trainingConfig");
        this.studentModel = Objects.requireNonNull(student, "student");
        this.teacherModels = List.copyOf(teachers);
        for (DistillModel<?, ?> t : teacherModels) {
            if (t == student || t.parameters().values().stream().anyMatch(p -> student.parameters().containsValue(p))) {
                throw new IllegalArgumentException("a teacher shares parameters with the student; the teacher is "
                        + "frozen during distillation, so give the student its own copy (Students.fromTeacher)");
            }
            for (Parameter p : t.parameters().values()) {
                p.freeze(true);
            }
        }
        for (Parameter p : student.parameters().values()) {
            if (p.requiresGradient() && !p.getArray().hasGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
        this.manager = NDManager.newBaseManager();
        this.manager.setName("distiller");
    }

    /**
     * Returns the student model.
     *
     * @return the student
     */
    public DistillModel<?, ?> student() {
        return studentModel;
    }

    /**
     * Returns the training config.
     *
     * @return the config
     */
    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /**
     * Returns the result of the last {@code train} call.
     *
     * @return the result, empty before training
     */
    public Optional<TrainResult> lastResult() {
        return Optional.ofNullable(lastResult);
    }

    // ---------------------------------------------------------------------------------------------- hooks

    /**
     * Runs the teacher(s) for a batch. Called with gradients off, outside the gradient collector.
     *
     * @param batch the post-processed batch
     * @param ctx the step
     * @return whatever {@link #studentLoss} needs (adapted teacher outputs), or {@code null}
     */
    protected abstract Object teacherForward(B batch, StepContext ctx);

    /**
     * Runs the student and computes the loss. Called inside the gradient collector.
     *
     * @param batch the post-processed batch
     * @param teacher what {@link #teacherForward} returned
     * @param ctx the step
     * @return the total and the terms
     */
    protected abstract LossTerms studentLoss(B batch, Object teacher, StepContext ctx);

    /**
     * Returns trainable parameters besides the student's (projections), each with its optimizer options, creating
     * them on first use.
     *
     * @param seed the run's seed (for initialisation)
     * @return groups of parameters by name; names must not clash with the student's
     */
    protected List<Map.Entry<Map<String, Parameter>, ParameterGroup>> extraParameters(long seed) {
        return List.of();
    }

    /**
     * Checks the configs against the models before training starts (layer indices, widths, projections).
     *
     * @param options the train options
     */
    protected void validate(TrainOptions<B> options) {}

    /**
     * Returns the configs written into checkpoints and compared on resume.
     *
     * @return a JSON object
     */
    protected JsonObject runConfig() {
        JsonObject o = new JsonObject();
        o.add("training_config", trainingConfig.toJsonObject());
        return o;
    }

    /**
     * Returns the teacher models, for subclasses.
     *
     * @return the teachers
     */
    protected List<DistillModel<?, ?>> teachers() {
        return teacherModels;
    }

    // ---------------------------------------------------------------------------------------------- train

    /**
     * Trains the student (TextBrewer's {@code train}). In epoch mode ({@code num_epochs}) the data must be sized; in
     * step mode ({@code num_steps}, which wins when both are set) it is cycled and {@code ckpt_steps} is required.
     *
     * @param options the optimizer, schedule, length, clipping, callbacks, evaluation, post-processor, seed, resume
     * @param data the batches
     * @return what the run did
     * @throws IOException when logs or checkpoints cannot be written or read
     * @throws ValidationException when the configs do not fit the models or the data, when the output folder
     *     cannot be written or holds another run (without {@code resume}), or when the first batch fails to go
     *     through the models and the losses: all found before anything is written
     * @throws NonFiniteException when a loss term, a gradient or the weights become NaN or infinite and the
     *     policy is {@link NonFinitePolicy#STOP} (the newest checkpoint is the last good state)
     */
    public TrainResult train(TrainOptions<B> options, DataSource<B> data) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(data, "data");
        Plan plan;
        try {
            plan = plan(options, data);
            validate(options);
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(e);
        }
        OutputFolder.check(Path.of(trainingConfig.outputDir()), "training_config.output_dir", options.resume());
        dryRun(options, plan, data);
        try (Run run = new Run(options, plan)) {
            lastResult = run.execute(data);
            return lastResult;
        }
    }

    /** The shape of a run: mode, totals and checkpoint rules (TextBrewer's exact arithmetic). */
    static final class Plan {
        final boolean stepMode;
        final int numEpochs;
        final int stepsPerEpoch;
        final int totalSteps;
        final int ckptSteps;
        final java.util.Set<Integer> checkpointOffsets = new java.util.HashSet<>();
        final int gas;
        final int ckptEpochFrequency;

        Plan(boolean stepMode, int numEpochs, int stepsPerEpoch, int totalSteps, int ckptSteps, int gas,
                int ckptFrequency, int ckptEpochFrequency) {
            this.stepMode = stepMode;
            this.numEpochs = numEpochs;
            this.stepsPerEpoch = stepsPerEpoch;
            this.totalSteps = totalSteps;
            this.ckptSteps = ckptSteps;
            this.gas = gas;
            this.ckptEpochFrequency = ckptEpochFrequency;
            if (!stepMode) {
                for (int ci = 0; ci < ckptFrequency; ci++) {
                    checkpointOffsets.add((int) ((long) stepsPerEpoch * ci / ckptFrequency));
                }
            }
        }

        /** Whether the optimizer step that made {@code globalStep} in {@code epoch} writes a checkpoint. */
        boolean checkpointAfter(int globalStep, int epoch) {
            if (stepMode) {
                return globalStep % ckptSteps == 0 || globalStep == totalSteps;
            }
            return checkpointOffsets.contains(globalStep % stepsPerEpoch)
                    && ((epoch + 1) % ckptEpochFrequency == 0 || epoch + 1 == numEpochs);
        }
    }

    Plan plan(TrainOptions<B> options, DataSource<B> data) {
        int gas = trainingConfig.gradientAccumulationSteps();
        if (options.numSteps().isPresent()) {
            int numSteps = options.numSteps().getAsInt();
            OptionalInt ckpt = trainingConfig.ckptSteps();
            if (ckpt.isEmpty()) {
                throw new IllegalArgumentException("training_config.ckpt_steps = null: it is required when training "
                        + "with num_steps (" + numSteps + "); set it to how many optimizer steps separate checkpoints");
            }
            return new Plan(true, 0, 0, numSteps, ckpt.getAsInt(), gas, 1, 1);
        }
        int numEpochs = options.numEpochs().getAsInt();
        OptionalInt size = data.size();
        if (size.isEmpty()) {
            throw new IllegalArgumentException("num_epochs needs a data source whose size is known; use num_steps "
                    + "(with training_config.ckpt_steps) for unsized data");
        }
        int spe = size.getAsInt() / gas;
        if (spe == 0) {
            throw new IllegalArgumentException("training_config.gradient_accumulation_steps = " + gas + ": larger than "
                    + "the " + size.getAsInt() + " batches of an epoch, so no optimizer step would ever run");
        }
        return new Plan(false, numEpochs, spe, spe * numEpochs, 0, gas, trainingConfig.ckptFrequency(),
                trainingConfig.ckptEpochFrequency());
    }

    /**
     * Sends the first batch through the teacher(s), the student and every configured loss, without gradients and
     * without touching the weights, so that shape and configuration problems surface before anything is written.
     */
    private void dryRun(TrainOptions<B> options, Plan plan, DataSource<B> data) {
        Iterator<B> it = data.pass(0);
        if (!it.hasNext()) {
            throw new ValidationException("the training data yielded no batches");
        }
        B raw = it.next();
        String phase = "creating the projections";
        boolean gradMode = JniUtils.isGradMode();
        try (NDManager step = manager.newSubManager()) {
            extraParameters(options.seed());
            phase = "the batch post-processor";
            B batch = options.batchPostprocessor().apply(raw);
            StepContext ctx = new StepContext(step, 0, plan.totalSteps, 0, options.seed());
            currentRaw = raw;
            JniUtils.setGradMode(false);
            phase = teacherModels.isEmpty() ? "the student" : "the teacher";
            Object teacher = teacherForward(batch, ctx);
            phase = "the student and the losses";
            studentLoss(batch, teacher, ctx).toHost();
        } catch (ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValidationException("the first batch does not go through " + phase + ": " + firstLine(e), e);
        } finally {
            JniUtils.setGradMode(gradMode);
            currentRaw = null;
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    /** Releases the projections and caches. */
    @Override
    public void close() {
        manager.close();
    }

    // ---------------------------------------------------------------------------------------------- the run

    private final class Run implements AutoCloseable {
        private final TrainOptions<B> options;
        private final Plan plan;
        private final Path outputDir;
        private final NDManager runManager;
        private final ParameterStore ps;
        private final InPlaceOptimizer optimizer;
        private final Map<String, Parameter> extra = new LinkedHashMap<>();
        private final List<Parameter> clipped = new ArrayList<>();
        private final CheckpointStore store;
        private MetricsLog metrics;
        private EvalLog evalLog;
        private TensorBoardWriter tensorBoard;
        private ProgressBar progress;

        private int globalStep;
        private long globalBatch;
        private int epoch;
        private long batchInEpoch;
        private final List<EvaluationRecord> history = new ArrayList<>();
        private double bestMetric = Double.NaN;
        private int badEvaluations;
        private boolean stoppedEarly;
        private int resumedFrom = -1;
        private Path lastCheckpoint;
        private Map<String, Double> lastLosses = Map.of();
        private long nanosTeacher;
        private long nanosStudent;
        private long nanosOptimizer;
        private long nanosCheckpoint;
        private long nanosEvaluation;
        private long skippedBatches;
        private boolean windowHasGradient;

        Run(TrainOptions<B> options, Plan plan) throws IOException {
            this.options = options;
            this.plan = plan;
            this.outputDir = Path.of(trainingConfig.outputDir());
            Files.createDirectories(outputDir);
            this.runManager = NDManager.newBaseManager();
            this.runManager.setName("run");
            this.ps = new ParameterStore(runManager, false);
            this.optimizer = options.optimizer().create(runManager);
            optimizer.addParameters(studentModel.parameters());
            for (Parameter p : studentModel.parameters().values()) {
                if (p.requiresGradient()) {
                    clipped.add(p);
                }
            }
            for (Map.Entry<Map<String, Parameter>, ParameterGroup> g : extraParameters(options.seed())) {
                for (String name : g.getKey().keySet()) {
                    if (studentModel.parameters().containsKey(name)) {
                        throw new IllegalStateException("extra parameter '" + name + "' clashes with the student's");
                    }
                }
                optimizer.addParameters(g.getKey(), g.getValue());
                extra.putAll(g.getKey());
                clipped.addAll(g.getKey().values());
            }
            optimizer.setSchedule(options.optimizer().schedule(plan.totalSteps));
            CheckpointStore.Builder sb = CheckpointStore.builder(outputDir);
            if (trainingConfig.keepLastCheckpoints() > 0) {
                sb.optKeepLast(trainingConfig.keepLastCheckpoints());
            }
            options.evaluation().ifPresent(e -> sb.optBestMetric(e.metric(), e.mode()));
            this.store = sb.build();
        }

        TrainResult execute(DataSource<B> data) throws IOException {
            long start = System.nanoTime();
            boolean resumed = false;
            if (options.resume()) {
                resumed = restore();
            } else {
                Optional<Checkpoint> existing = store.latest();
                if (existing.isPresent()) {
                    throw new ValidationException("training_config.output_dir = '" + outputDir + "': already holds "
                            + "checkpoint " + existing.get().directory().getFileName() + " of another run; resume it "
                            + "(--resume / optResume(true)) or choose an empty output_dir");
                }
            }
            if (resumed && (globalStep >= plan.totalSteps || stoppedEarly)) {
                LOG.info("The run in {} is already finished (step {} of {}); nothing to do", outputDir, globalStep,
                        plan.totalSteps);
                System.err.println("distill4j: the run in " + outputDir + " is already finished (step " + globalStep
                        + " of " + plan.totalSteps + "); resuming changes nothing");
                return result(start);
            }
            Path metricsFile = outputDir.resolve(MetricsLog.FILE_NAME);
            Path evalFile = outputDir.resolve(EvalLog.FILE_NAME);
            if (resumed) {
                metrics = MetricsLog.append(metricsFile);
                metrics.truncateAfterBatch(globalBatch - 1);
                evalLog = EvalLog.append(evalFile);
                evalLog.truncateAfterStep(globalStep);
            } else {
                metrics = MetricsLog.create(metricsFile);
                evalLog = EvalLog.create(evalFile);
            }
            if (trainingConfig.logDir().isPresent()) {
                tensorBoard = TensorBoardWriter.open(Path.of(trainingConfig.logDir().get()));
            }
            progress = ProgressBar.builder()
                    .setTotal(plan.totalSteps)
                    .optUnit("step")
                    .optInitial(globalStep)
                    .optEnabled(options.progressBar())
                    .build();
            if (plan.stepMode) {
                runSteps(data);
            } else {
                runEpochs(data);
            }
            progress.close();
            metrics.close();
            metrics = null;
            evalLog.close();
            evalLog = null;
            try {
                LossCurvePlot.builder().build().write(metricsFile, evalFile, outputDir.resolve(PLOT_FILE));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not write the loss-curve plot: {}", e.toString());
            }
            return result(start);
        }

        private TrainResult result(long start) throws IOException {
            Map<String, Duration> timings = new LinkedHashMap<>();
            timings.put("total", Duration.ofNanos(System.nanoTime() - start));
            timings.put("teacher_forward", Duration.ofNanos(nanosTeacher));
            timings.put("student_step", Duration.ofNanos(nanosStudent));
            timings.put("optimizer", Duration.ofNanos(nanosOptimizer));
            timings.put("checkpoint", Duration.ofNanos(nanosCheckpoint));
            timings.put("evaluation", Duration.ofNanos(nanosEvaluation));
            Optional<Path> best = options.evaluation().isPresent()
                    ? store.best().map(Checkpoint::directory) : Optional.empty();
            Optional<Path> last = lastCheckpoint != null
                    ? Optional.of(lastCheckpoint) : store.latest().map(Checkpoint::directory);
            int epochs = plan.stepMode ? epoch + 1 : epoch + (batchInEpoch > 0 ? 1 : 0);
            return new TrainResult(globalStep, globalBatch, epochs, stoppedEarly,
                    resumedFrom, history, best, bestMetric, last, lastLosses, timings, skippedBatches);
        }

        // ------------------------------------------------------------------ epoch mode (TextBrewer 3.3)

        private void runEpochs(DataSource<B> data) throws IOException {
            int startEpoch = epoch;
            long skip = batchInEpoch;
            for (int e = startEpoch; e < plan.numEpochs && !stoppedEarly; e++) {
                epoch = e;
                optimizer.zeroGradients(); // a partial window of the previous epoch is discarded
                windowHasGradient = false;
                Iterator<B> it = data.pass(e);
                long step = 0;
                if (e == startEpoch) {
                    for (; step < skip; step++) {
                        next(it, e);
                    }
                }
                while (it.hasNext() && !stoppedEarly) {
                    B raw = it.next();
                    batchInEpoch = step + 1;
                    forwardBackward(raw);
                    if ((step + 1) % plan.gas == 0) {
                        update();
                        if (plan.checkpointAfter(globalStep, e)) {
                            boolean endOfEpoch = !it.hasNext();
                            checkpoint(endOfEpoch ? e + 1 : e, endOfEpoch ? 0 : step + 1);
                        }
                    }
                    step++;
                }
                batchInEpoch = 0;
                final int ended = e;
                callbacks("onEpochEnd", c -> c.onEpochEnd(ended, globalStep));
            }
            if (!stoppedEarly) {
                epoch = plan.numEpochs;
                batchInEpoch = 0;
            }
        }

        // ------------------------------------------------------------------ step mode (TextBrewer 3.4)

        private void runSteps(DataSource<B> data) throws IOException {
            Iterator<B> it = data.pass(epoch);
            for (long i = 0; i < batchInEpoch; i++) {
                next(it, epoch);
            }
            while (globalStep < plan.totalSteps && !stoppedEarly) {
                if (!it.hasNext()) {
                    final int ended = epoch;
                    callbacks("onEpochEnd", c -> c.onEpochEnd(ended, globalStep));
                    epoch++;
                    batchInEpoch = 0;
                    it = data.pass(epoch);
                    if (!it.hasNext()) {
                        throw new IllegalArgumentException("the data source yielded no batches for pass " + epoch);
                    }
                }
                B raw = it.next();
                batchInEpoch++;
                long index = globalBatch; // TextBrewer's enumerate(cycle(dataloader)) index
                forwardBackward(raw);
                if ((index + 1) % plan.gas == 0) {
                    update();
                    if (plan.checkpointAfter(globalStep, epoch)) {
                        checkpoint(epoch, batchInEpoch);
                    }
                }
            }
        }

        private B next(Iterator<B> it, int pass) {
            try {
                return it.next();
            } catch (NoSuchElementException e) {
                throw new IllegalStateException("the data source yields fewer batches in pass " + pass
                        + " than the checkpoint being resumed had trained", e);
            }
        }

        // ------------------------------------------------------------------ one forward batch

        private void forwardBackward(B raw) throws IOException {
            B batch = options.batchPostprocessor().apply(raw);
            Engine.getInstance().setRandomSeed(Seeds.mixToInt(options.seed(), globalBatch));
            double lr = optimizer.learningRate();
            Map<String, Double> values;
            String nonFinite;
            try (NDManager step = runManager.newSubManager()) {
                StepContext ctx = new StepContext(step, globalStep, plan.totalSteps, globalBatch, options.seed());
                currentRaw = raw;
                long t0 = System.nanoTime();
                Object teacher;
                boolean gradMode = JniUtils.isGradMode();
                JniUtils.setGradMode(false);
                try {
                    teacher = teacherForward(batch, ctx);
                } finally {
                    JniUtils.setGradMode(gradMode);
                }
                long t1 = System.nanoTime();
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    LossTerms terms = studentLoss(batch, teacher, ctx);
                    values = terms.toHost();
                    nonFinite = firstNonFinite(values);
                    if (nonFinite == null) { // a non-finite loss never reaches the gradients
                        NDArray scaled = plan.gas == 1 ? terms.total()
                                : terms.total().div(ai.distill4j.loss.GraphScalar.of(terms.total(), plan.gas));
                        collector.backward(scaled);
                        windowHasGradient = true;
                    }
                }
                nanosTeacher += t1 - t0;
                nanosStudent += System.nanoTime() - t1;
            }
            int stepAfter = globalStep + ((isUpdateBatch()) ? 1 : 0);
            Map<String, Double> loggedTerms = new LinkedHashMap<>(values);
            double total = loggedTerms.remove("total_loss");
            metrics.write(globalBatch, stepAfter, lr, total, loggedTerms);
            if (tensorBoard != null) {
                tensorBoard.addLosses(globalBatch, total, loggedTerms);
                tensorBoard.addScalar("scalar/learning_rate", lr, globalBatch);
            }
            lastLosses = values;
            long batchIndex = globalBatch++;
            if (nonFinite != null) {
                String what = "non-finite loss at step " + (globalStep + 1) + " (batch " + batchIndex + "): "
                        + nonFinite + " = " + values.get(nonFinite);
                if (options.nonFinite() == NonFinitePolicy.STOP) {
                    throw new NonFiniteException(what + "; training stopped" + lastGood(), globalStep + 1, batchIndex,
                            nonFinite);
                }
                skippedBatches++;
                LOG.warn("{}; batch skipped ({} skipped so far)", what, skippedBatches);
                progress.message("Skipped batch " + batchIndex + ": " + what);
            }
        }

        /** The first loss term that is NaN or infinite (a named term before the total), or null. */
        private String firstNonFinite(Map<String, Double> values) {
            String total = null;
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (!Double.isFinite(e.getValue())) {
                    if (!e.getKey().equals("total_loss")) {
                        return e.getKey();
                    }
                    total = e.getKey();
                }
            }
            return total;
        }

        /**
         * Calls a hook of every callback. A callback that throws stops the run: the failure is logged with the step
         * and the hook, and the exception propagates unchanged out of {@code train} (logs and checkpoints written so
         * far are intact; {@code --resume} continues from the newest checkpoint).
         */
        private void callbacks(String hook, java.util.function.Consumer<Callback> call) {
            for (Callback c : options.callbacks()) {
                try {
                    call.accept(c);
                } catch (RuntimeException e) {
                    LOG.error("Callback {}.{} failed at step {}: {}; the run stops{}", c.getClass().getName(), hook,
                            globalStep, e.toString(), lastGood());
                    throw e;
                }
            }
        }

        private String lastGood() {
            return lastCheckpoint != null
                    ? "; the last good checkpoint is " + lastCheckpoint + " (--resume continues from it)"
                    : "; no checkpoint had been written yet";
        }

        /**
         * Finds the first parameter whose gradient (or, with {@code weights}, whose value) holds NaN or infinity.
         * One reduction per parameter and one transfer to the host.
         */
        private String firstNonFiniteParameter(boolean weights) {
            Map<String, Parameter> all = new LinkedHashMap<>(studentModel.parameters());
            all.putAll(extra);
            List<String> names = new ArrayList<>();
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager tmp = runManager.newSubManager()) {
                NDList sums = new NDList();
                for (Map.Entry<String, Parameter> e : all.entrySet()) {
                    NDArray w = e.getValue().getArray();
                    NDArray a;
                    if (weights) {
                        a = w;
                    } else {
                        if (!e.getValue().requiresGradient() || !w.hasGradient()) {
                            continue;
                        }
                        a = ai.djl.pytorch.jni.JniUtils.getGradient((ai.djl.pytorch.engine.PtNDArray) w);
                        if (a == null) {
                            continue;
                        }
                        a.attach(tmp);
                    }
                    NDArray s = a.sum();
                    s.attach(tmp); // a parameter's reduction lands in the model's manager: move it
                    sums.add(s.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(1));
                    names.add(e.getKey());
                }
                if (sums.isEmpty()) {
                    return null;
                }
                float[] values = ai.djl.ndarray.NDArrays.concat(sums).toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        return names.get(i);
                    }
                }
                return null;
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }

        private boolean isUpdateBatch() {
            if (plan.stepMode) {
                return (globalBatch + 1) % plan.gas == 0;
            }
            return batchInEpoch % plan.gas == 0;
        }

        private void update() {
            long t0 = System.nanoTime();
            double lr = optimizer.learningRate();
            String badGradient = null;
            double clipScale = 1.0;
            if (windowHasGradient) {
                if (options.maxGradNorm() > 0) {
                    // the clipping's global norm doubles as the finiteness check: one pass over the gradients
                    // instead of two; only a non-finite norm pays for the per-parameter scan that names the culprit.
                    // The optimizer applies the clipping factor during its update (no pass of its own).
                    double norm = GradientClipping.globalNorm(clipped, runManager);
                    clipScale = GradientClipping.scale(norm, options.maxGradNorm());
                    if (!Double.isFinite(norm)) {
                        badGradient = firstNonFiniteParameter(false);
                        if (badGradient == null) {
                            badGradient = "(every parameter; their global norm overflowed to " + norm + ")";
                        }
                    }
                } else {
                    badGradient = firstNonFiniteParameter(false);
                }
            }
            if (!windowHasGradient) {
                optimizer.skipStep(); // every batch of the window was skipped: no update at all
            } else if (badGradient != null) {
                String what = "non-finite gradient at step " + (globalStep + 1) + " (batch " + (globalBatch - 1)
                        + "): the gradient of parameter '" + badGradient + "' holds NaN or infinity although every "
                        + "loss term was finite";
                if (options.nonFinite() == NonFinitePolicy.STOP) {
                    optimizer.zeroGradients();
                    throw new NonFiniteException(what + "; training stopped" + lastGood(), globalStep + 1,
                            globalBatch - 1, "gradient of " + badGradient);
                }
                optimizer.skipStep();
                skippedBatches += plan.gas;
                LOG.warn("{}; step skipped ({} batches skipped so far)", what, skippedBatches);
                progress.message("Skipped step " + (globalStep + 1) + ": " + what);
            } else {
                optimizer.step(clipScale);
            }
            windowHasGradient = false;
            globalStep++;
            nanosOptimizer += System.nanoTime() - t0;
            progress.update(globalStep, lastLosses.getOrDefault("total_loss", Double.NaN));
            callbacks("onStep", c -> c.onStep(globalStep, lr));
        }

        // ------------------------------------------------------------------ checkpoints

        private void checkpoint(int nextEpoch, long nextBatchInEpoch) throws IOException {
            Map<String, Double> evaluated = null;
            if (options.evaluation().isPresent()) {
                evaluated = evaluate(options.evaluation().get());
            }
            long t0 = System.nanoTime();
            String badWeight = firstNonFiniteParameter(true);
            if (badWeight != null) {
                throw new NonFiniteException("non-finite weights after step " + globalStep + ": parameter '"
                        + badWeight + "' holds NaN or infinity, so its checkpoint is not written; training stopped"
                        + lastGood(), globalStep, globalBatch - 1, "weight " + badWeight);
            }
            TrainingState state = new TrainingState(globalStep, nextEpoch, nextBatchInEpoch, globalBatch,
                    options.seed(), stateExtra());
            metrics.sync();
            Checkpoint saved = store.save(state, this::writePayload);
            lastCheckpoint = saved.directory();
            if (evaluated != null) {
                Evaluation ev = options.evaluation().get();
                store.markBest(globalStep, evaluated.get(ev.metric()));
            }
            nanosCheckpoint += System.nanoTime() - t0;
            progress.message("Saved checkpoint " + saved.directory().getFileName() + " at step " + globalStep);
            callbacks("onCheckpoint", c -> c.onCheckpoint(studentModel, globalStep, saved.directory()));
        }

        private Map<String, Double> evaluate(Evaluation ev) throws IOException {
            long t0 = System.nanoTime();
            Map<String, Double> m;
            try {
                m = ev.callback().evaluate(studentModel, globalStep);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("evaluation failed at step " + globalStep + ": " + e, e);
            }
            if (m == null || !m.containsKey(ev.metric())) {
                throw new IllegalStateException("the evaluation callback returned " + m + " at step " + globalStep
                        + ", without the metric '" + ev.metric() + "' that ranks checkpoints");
            }
            nanosEvaluation += System.nanoTime() - t0;
            Map<String, Double> copy = new LinkedHashMap<>(m);
            history.add(new EvaluationRecord(globalStep, epoch, copy));
            evalLog.write(globalStep, copy);
            if (tensorBoard != null) {
                for (Map.Entry<String, Double> e : copy.entrySet()) {
                    tensorBoard.addScalar("eval/" + e.getKey(), e.getValue(), globalStep);
                }
            }
            double value = copy.get(ev.metric());
            boolean improved = Double.isNaN(bestMetric) ? !Double.isNaN(value)
                    : ev.mode() == ai.distill4j.distill.checkpoint.MetricMode.MAX
                            ? value > bestMetric + ev.minDelta() : value < bestMetric - ev.minDelta();
            if (improved) {
                bestMetric = value;
                badEvaluations = 0;
            } else {
                badEvaluations++;
                if (ev.patience() > 0 && badEvaluations >= ev.patience()) {
                    stoppedEarly = true;
                    progress.message("Early stopping at step " + globalStep + ": " + ev.metric() + " did not improve "
                            + "for " + badEvaluations + " evaluations (best " + bestMetric + ")");
                }
            }
            progress.message("Evaluation at step " + globalStep + ": " + copy);
            return copy;
        }

        private Map<String, Object> stateExtra() {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("optimizer_steps", optimizer.stepCount());
            x.put("total_steps", plan.totalSteps);
            x.put("best_metric", Double.isNaN(bestMetric) ? null : bestMetric);
            x.put("bad_evaluations", badEvaluations);
            x.put("stopped_early", stoppedEarly);
            List<Object> h = new ArrayList<>();
            for (EvaluationRecord r : history) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", r.step());
                row.put("epoch", r.epoch());
                row.put("metrics", new LinkedHashMap<>(r.metrics()));
                h.add(row);
            }
            x.put("history", h);
            x.put("skipped_batches", skippedBatches);
            x.putAll(extraState());
            return x;
        }

        private void writePayload(Path dir) throws IOException {
            studentModel.save(dir.resolve(STUDENT_DIR));
            SafetensorsWriter w = new SafetensorsWriter();
            w.metadata("format", "distill4j-trainer-1");
            for (Map.Entry<String, Parameter> e : extra.entrySet()) {
                w.add("param/" + e.getKey(), e.getValue().getArray());
            }
            for (Map.Entry<String, NDArray> e : optimizer.stateArrays().entrySet()) {
                w.add("optimizer/" + e.getKey(), e.getValue());
            }
            w.write(dir.resolve(TRAINER_STATE));
            Files.writeString(dir.resolve(RUN_CONFIG), runConfig().toString(), StandardCharsets.UTF_8);
        }

        /** The configs without the fields that do not change the numbers (folders, retention). */
        private JsonObject comparable(JsonObject runConfig) {
            JsonObject copy = runConfig.deepCopy();
            if (copy.has("training_config") && copy.get("training_config").isJsonObject()) {
                JsonObject tc = copy.getAsJsonObject("training_config");
                tc.remove("output_dir");
                tc.remove("log_dir");
                tc.remove("keep_last_checkpoints");
            }
            return copy;
        }

        @SuppressWarnings("unchecked")
        private boolean restore() throws IOException {
            Optional<Checkpoint> latest = store.latest();
            if (latest.isEmpty()) {
                LOG.info("No checkpoint in {}; starting a fresh run", store.directory());
                System.err.println("distill4j: no checkpoint in " + store.directory() + "; starting a fresh run");
                return false;
            }
            Checkpoint c = store.open(latest.get().step());
            JsonObject saved = JsonParser.parseString(
                    Files.readString(c.file(RUN_CONFIG), StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject now = runConfig();
            if (!comparable(saved).equals(comparable(now))) {
                throw new IllegalStateException("cannot resume from " + c.directory() + ": it was made with other "
                        + "configs.\n  checkpoint: " + saved + "\n  now:        " + now);
            }
            studentModel.restore(c.directory().resolve(STUDENT_DIR));
            Map<String, NDArray> optimizerState = new LinkedHashMap<>();
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager tmp = runManager.newSubManager();
                    SafetensorsReader r = SafetensorsReader.open(c.file(TRAINER_STATE))) {
                for (String name : r.tensors().keySet()) {
                    NDArray a = r.read(name, tmp);
                    if (name.startsWith("param/")) {
                        Parameter p = extra.get(name.substring(6));
                        if (p == null) {
                            throw new IOException(c.file(TRAINER_STATE) + ": tensor '" + name
                                    + "' matches no trainable parameter of this run");
                        }
                        a.copyTo(p.getArray());
                    } else if (name.startsWith("optimizer/")) {
                        optimizerState.put(name.substring(10), a);
                    }
                }
                TrainingState s = c.state();
                optimizer.loadState(optimizerState, ((Number) s.extra().get("optimizer_steps")).intValue());
            } finally {
                JniUtils.setGradMode(gradMode);
            }
            TrainingState s = c.state();
            globalStep = (int) s.globalStep();
            globalBatch = s.batchesSeen();
            epoch = s.epoch();
            batchInEpoch = s.batchInEpoch();
            Object best = s.extra().get("best_metric");
            bestMetric = best == null ? Double.NaN : ((Number) best).doubleValue();
            badEvaluations = ((Number) s.extra().getOrDefault("bad_evaluations", 0L)).intValue();
            stoppedEarly = Boolean.TRUE.equals(s.extra().get("stopped_early"));
            skippedBatches = ((Number) s.extra().getOrDefault("skipped_batches", 0L)).longValue();
            for (Object o : (List<Object>) s.extra().getOrDefault("history", List.of())) {
                Map<String, Object> row = (Map<String, Object>) o;
                Map<String, Double> m = new LinkedHashMap<>();
                ((Map<String, Object>) row.get("metrics")).forEach((k, v) -> m.put(k, ((Number) v).doubleValue()));
                history.add(new EvaluationRecord(((Number) row.get("step")).intValue(),
                        ((Number) row.get("epoch")).intValue(), m));
            }
            restoreExtraState(s.extra());
            resumedFrom = globalStep;
            lastCheckpoint = c.directory();
            LOG.info("Resumed from {} (step {}, epoch {}, batch {} of the epoch)", c.directory(), globalStep, epoch,
                    batchInEpoch);
            return true;
        }

        @Override
        public void close() {
            try {
                if (metrics != null) {
                    metrics.close();
                }
                if (evalLog != null) {
                    evalLog.close();
                }
                if (tensorBoard != null) {
                    tensorBoard.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (progress != null) {
                    progress.close();
                }
                optimizer.close();
                runManager.close();
            }
        }
    }

    private Object currentRaw;

    /**
     * Returns the batch as the data source yielded it, before post-processing (the teacher cache's key).
     *
     * @return the raw batch of the current step
     */
    protected Object currentRawBatch() {
        return currentRaw;
    }

    /**
     * Returns subclass state to store in checkpoints (JSON-compatible values).
     *
     * @return name to value
     */
    protected Map<String, Object> extraState() {
        return Map.of();
    }

    /**
     * Restores what {@link #extraState()} stored.
     *
     * @param extra the checkpoint's extra values
     */
    protected void restoreExtraState(Map<String, Object> extra) {}
}
