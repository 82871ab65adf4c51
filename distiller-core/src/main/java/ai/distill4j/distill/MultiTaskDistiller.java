package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.Seeds;
import ai.distill4j.distill.optim.ParameterGroup;
import ai.distill4j.loss.LossRegistry;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Distillation of several tasks into one student (TextBrewer's {@code MultiTaskDistiller}): each task has its own
 * teacher, teacher adaptor, student adaptor and data; the student's parameters (and the projections) are shared.
 * Training is step-based ({@code num_steps} with {@code ckpt_steps}): every forward batch draws a task with
 * probability {@code size^tau / Σ size^tau} (sizes in batches; uniform when a source is unsized) and takes that
 * task's next batch, cycling through its data. The loss is GeneralDistiller's (KD, intermediate matches, hard
 * labels) with the task's teacher.
 *
 * <p>The task draw of forward batch {@code k} comes from {@code (seed, k)}, so a resumed run draws the same tasks.
 *
 * @param <B> the batch type of every task
 * @since 0.1.0
 */
public class MultiTaskDistiller<B> extends Distiller<TaskBatch<B>> {

    private final DistillationConfig distillationConfig;
    private final Map<String, AdaptedModel<B>> teachers;
    private final Map<String, AdaptedModel<B>> students;
    private final DistillationLoss loss;
    private final ParameterStore teacherStore;
    private final ParameterStore studentStore;
    private List<ProjectionLayer> projections;
    private TeacherCache cache;

    /**
     * Creates the distiller.
     *
     * @param trainingConfig the training config
     * @param distillationConfig the distillation config
     * @param teachers per task, the teacher and its adaptor
     * @param students per task, the student and that task's adaptor; all share one student model
     */
    public MultiTaskDistiller(TrainingConfig trainingConfig, DistillationConfig distillationConfig,
            Map<String, AdaptedModel<B>> teachers, Map<String, AdaptedModel<B>> students) {
        super(trainingConfig, first(students).model(), distinctTeachers(teachers));
        if (teachers.isEmpty() || !teachers.keySet().equals(students.keySet())) {
            throw new IllegalArgumentException("tasks: teachers " + teachers.keySet() + " and student adaptors "
                    + students.keySet() + " must name the same, non-empty set of tasks");
        }
        Map<String, Parameter> shared = first(students).model().parameters();
        for (Map.Entry<String, AdaptedModel<B>> e : students.entrySet()) {
            if (!shared.values().containsAll(e.getValue().model().parameters().values())) {
                throw new IllegalArgumentException("task '" + e.getKey() + "': every task must use the same student "
                        + "model (only the adaptors differ per task)");
            }
        }
        this.distillationConfig = distillationConfig;
        this.teachers = new LinkedHashMap<>(teachers);
        this.students = new LinkedHashMap<>(students);
        this.loss = new DistillationLoss(distillationConfig, LossRegistry.global());
        this.teacherStore = new ParameterStore(manager, false);
        this.studentStore = new ParameterStore(manager, false);
        for (String task : teachers.keySet()) {
            MatchValidation.check(distillationConfig.intermediateMatches(), teachers.get(task).layout(),
                    students.get(task).layout());
        }
    }

    private static <B> AdaptedModel<B> first(Map<String, AdaptedModel<B>> m) {
        if (m.isEmpty()) {
            throw new IllegalArgumentException("tasks: at least one task is required");
        }
        return m.values().iterator().next();
    }

    private static <B> List<DistillModel<?, ?>> distinctTeachers(Map<String, AdaptedModel<B>> teachers) {
        List<DistillModel<?, ?>> out = new ArrayList<>();
        for (AdaptedModel<B> t : teachers.values()) {
            out.add(t.model());
        }
        return out;
    }

    /**
     * Trains on several tasks (TextBrewer's {@code train(optimizer, dataloaders, num_steps, tau, ...)}).
     *
     * @param options the options; {@code num_steps} is required, {@code tau} sets the sampling exponent
     * @param data per task, its batches
     * @return what the run did
     * @throws IOException when logs or checkpoints cannot be written or read
     */
    public TrainResult train(TrainOptions<TaskBatch<B>> options, Map<String, DataSource<B>> data) throws IOException {
        if (!data.keySet().equals(teachers.keySet())) {
            throw new IllegalArgumentException("data is given for tasks " + data.keySet() + " but the distiller has "
                    + "tasks " + teachers.keySet());
        }
        if (options.numSteps().isEmpty()) {
            throw new IllegalArgumentException("num_steps is required: MultiTaskDistiller trains by steps");
        }
        return train(options, sampler(new LinkedHashMap<>(data), options.tau(), options.seed()));
    }

    /**
     * Computes the task-sampling probabilities: {@code size^tau / Σ size^tau}, uniform when a source is unsized.
     *
     * @param data per task, its batches
     * @param tau the exponent
     * @param <B> the batch type
     * @return per task, its probability
     */
    public static <B> Map<String, Double> taskProbabilities(Map<String, DataSource<B>> data, double tau) {
        Map<String, Double> p = new LinkedHashMap<>();
        boolean sized = data.values().stream().allMatch(d -> d.size().isPresent());
        double sum = 0;
        for (Map.Entry<String, DataSource<B>> e : data.entrySet()) {
            double w = sized ? Math.pow(e.getValue().size().getAsInt(), tau) : 1.0;
            p.put(e.getKey(), w);
            sum += w;
        }
        for (Map.Entry<String, Double> e : p.entrySet()) {
            e.setValue(e.getValue() / sum);
        }
        return p;
    }

    private DataSource<TaskBatch<B>> sampler(Map<String, DataSource<B>> data, double tau, long seed) {
        Map<String, Double> p = taskProbabilities(data, tau);
        List<String> names = new ArrayList<>(p.keySet());
        double[] cumulative = new double[names.size()];
        double c = 0;
        for (int i = 0; i < names.size(); i++) {
            c += p.get(names.get(i));
            cumulative[i] = c;
        }
        return new DataSource<>() {
            @Override
            public Iterator<TaskBatch<B>> pass(int epoch) {
                Map<String, Cycle<B>> cycles = new LinkedHashMap<>();
                for (String name : names) {
                    cycles.put(name, new Cycle<>(name, data.get(name)));
                }
                return new Iterator<>() {
                    private long k;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public TaskBatch<B> next() {
                        double u = new Random(Seeds.mix(seed ^ 0x5DEECE66DL, k++)).nextDouble() * cumulative[names.size() - 1];
                        int i = 0;
                        while (i < names.size() - 1 && u >= cumulative[i]) {
                            i++;
                        }
                        String task = names.get(i);
                        return new TaskBatch<>(task, cycles.get(task).next());
                    }
                };
            }

            @Override
            public OptionalInt size() {
                return OptionalInt.empty();
            }
        };
    }

    private static final class Cycle<B> {
        private final String task;
        private final DataSource<B> source;
        private int pass;
        private Iterator<B> it;

        Cycle(String task, DataSource<B> source) {
            this.task = task;
            this.source = source;
            this.it = source.pass(0);
        }

        B next() {
            if (!it.hasNext()) {
                it = source.pass(++pass);
                if (!it.hasNext()) {
                    throw new NoSuchElementException("task '" + task + "' has no batches");
                }
            }
            return it.next();
        }
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject runConfig() {
        JsonObject o = super.runConfig();
        o.add("distillation_config", distillationConfig.toJsonObject());
        o.addProperty("distiller", getClass().getSimpleName());
        o.addProperty("tasks", String.join(",", teachers.keySet()));
        return o;
    }

    /** {@inheritDoc} */
    @Override
    protected Object teacherForward(TaskBatch<B> batch, StepContext ctx) {
        AdaptedModel<B> teacher = teachers.get(batch.task());
        if (teacher == null) {
            throw new IllegalArgumentException("unknown task '" + batch.task() + "'; tasks are " + teachers.keySet());
        }
        Object key = currentRawBatch() instanceof TaskBatch<?> tb ? tb.batch() : currentRawBatch();
        if (distillationConfig.isCachingLogits()) {
            if (cache == null) {
                cache = new TeacherCache(manager, BasicDistiller.usedTeacherFeatures(distillationConfig, true));
            }
            List<AdaptedOutput> hit = cache.get(key, ctx.manager());
            if (hit != null) {
                return hit.get(0);
            }
        }
        AdaptedOutput t = teacher.forward(teacherStore, batch.batch(), ctx.manager(), false);
        if (cache != null) {
            cache.put(key, List.of(t));
        }
        return t;
    }

    /** {@inheritDoc} */
    @Override
    protected LossTerms studentLoss(TaskBatch<B> batch, Object teacher, StepContext ctx) {
        AdaptedOutput s = students.get(batch.task()).forward(studentStore, batch.batch(), ctx.manager(), true);
        return loss.compute(s, (AdaptedOutput) teacher, projections, true, false, ctx);
    }

    /** {@inheritDoc} */
    @Override
    protected List<Map.Entry<Map<String, Parameter>, ParameterGroup>> extraParameters(long seed) {
        if (projections == null) {
            projections = Projections.create(distillationConfig.intermediateMatches(), manager, seed);
        }
        return Projections.groups(projections);
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
        super.close();
    }
}
