package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.ParameterGroup;
import ai.distill4j.loss.LossRegistry;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Distillation from several teachers (TextBrewer's {@code MultiTeacherDistiller}): the KD target is the average of
 * the teachers' raw logits ({@code T_k = (1/M) Σ_t T_k^(t)}, or {@code Σ w_t T_k^(t) / Σ w_t} with weights), with
 * teacher 0's logits mask. Beyond TextBrewer, intermediate matches are supported: each match is computed against
 * every teacher and averaged with the same weights (teachers must then share their feature layout).
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public class MultiTeacherDistiller<B> extends Distiller<B> {

    private final DistillationConfig distillationConfig;
    private final List<AdaptedModel<B>> teachers;
    private final double[] weights;
    private final AdaptedModel<B> studentModel;
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
     * @param teachers the teachers and their adaptors (at least one)
     * @param weights one non-negative weight per teacher (not all zero), or {@code null} for TextBrewer's plain mean
     * @param student the student and its adaptor
     */
    public MultiTeacherDistiller(TrainingConfig trainingConfig, DistillationConfig distillationConfig,
            List<AdaptedModel<B>> teachers, double[] weights, AdaptedModel<B> student) {
        super(trainingConfig, student.model(), teachers.stream().<DistillModel<?, ?>>map(AdaptedModel::model).toList());
        if (teachers.isEmpty()) {
            throw new IllegalArgumentException("teachers: MultiTeacherDistiller needs at least one teacher");
        }
        if (weights != null) {
            if (weights.length != teachers.size()) {
                throw new IllegalArgumentException("teacher_weights has " + weights.length + " values for "
                        + teachers.size() + " teachers");
            }
            double sum = 0;
            for (double w : weights) {
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("teacher_weights = " + java.util.Arrays.toString(weights)
                            + ": every weight must be a finite number >= 0");
                }
                sum += w;
            }
            if (sum == 0) {
                throw new IllegalArgumentException("teacher_weights are all 0");
            }
        }
        this.distillationConfig = distillationConfig;
        this.teachers = List.copyOf(teachers);
        this.weights = weights == null ? null : weights.clone();
        this.studentModel = student;
        this.loss = new DistillationLoss(distillationConfig, LossRegistry.global());
        this.teacherStore = new ParameterStore(manager, false);
        this.studentStore = new ParameterStore(manager, false);
        for (AdaptedModel<B> t : teachers) {
            MatchValidation.check(distillationConfig.intermediateMatches(), t.layout(), student.layout());
        }
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject runConfig() {
        JsonObject o = super.runConfig();
        o.add("distillation_config", distillationConfig.toJsonObject());
        o.addProperty("distiller", getClass().getSimpleName());
        o.addProperty("teachers", teachers.size());
        return o;
    }

    /** {@inheritDoc} */
    @Override
    protected Object teacherForward(B batch, StepContext ctx) {
        if (distillationConfig.isCachingLogits()) {
            if (cache == null) {
                cache = new TeacherCache(manager, BasicDistiller.usedTeacherFeatures(distillationConfig, true));
            }
            List<AdaptedOutput> hit = cache.get(currentRawBatch(), ctx.manager());
            if (hit != null) {
                return hit;
            }
        }
        List<AdaptedOutput> outs = new ArrayList<>(teachers.size());
        for (AdaptedModel<B> t : teachers) {
            outs.add(t.forward(teacherStore, batch, ctx.manager(), false));
        }
        if (cache != null) {
            cache.put(currentRawBatch(), outs);
        }
        return outs;
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    protected LossTerms studentLoss(B batch, Object teacherOutputs, StepContext ctx) {
        AdaptedOutput s = studentModel.forward(studentStore, batch, ctx.manager(), true);
        return loss.compute(s, (List<AdaptedOutput>) teacherOutputs, weights, projections, true, true, ctx);
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
