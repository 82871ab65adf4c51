package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.loss.LossRegistry;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-teacher knowledge distillation on logits plus hard-label losses (TextBrewer's {@code BasicDistiller}):
 * {@code L = w_kd · Σ_k KD(S_k, T_k, τ) + w_hl · Σ_j mean(losses_j)}. Both adaptors must return {@code logits}.
 * Intermediate matches are ignored (with a warning), as in TextBrewer; use {@link GeneralDistiller} for them.
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public class BasicDistiller<B> extends Distiller<B> {

    private static final Logger LOG = LoggerFactory.getLogger(BasicDistiller.class);

    /** The distillation config. */
    protected final DistillationConfig distillationConfig;
    /** The teacher and its adaptor. */
    protected final AdaptedModel<B> teacher;
    /** The student and its adaptor. */
    protected final AdaptedModel<B> studentModel;
    /** The resolved losses and schedulers. */
    protected final DistillationLoss loss;
    /** The parameter store of the teacher. */
    protected final ParameterStore teacherStore;
    /** The parameter store of the student. */
    protected final ParameterStore studentStore;
    private TeacherCache cache;
    private TeacherCacheConfig cacheConfig = TeacherCacheConfig.DEFAULT;
    private Map<String, Set<Integer>> usedFeatures;

    /**
     * Creates the distiller.
     *
     * @param trainingConfig the training config
     * @param distillationConfig the distillation config
     * @param teacher the teacher and its adaptor
     * @param student the student and its adaptor
     */
    public BasicDistiller(TrainingConfig trainingConfig, DistillationConfig distillationConfig,
            AdaptedModel<B> teacher, AdaptedModel<B> student) {
        super(trainingConfig, student.model(), List.of(teacher.model()));
        this.distillationConfig = distillationConfig;
        this.teacher = teacher;
        this.studentModel = student;
        this.loss = new DistillationLoss(distillationConfig, LossRegistry.global());
        this.teacherStore = new ParameterStore(manager, false);
        this.studentStore = new ParameterStore(manager, false);
        if (!usesMatches() && !distillationConfig.intermediateMatches().isEmpty()) {
            LOG.warn("{} ignores the {} intermediate matches of the config; use GeneralDistiller for them",
                    getClass().getSimpleName(), distillationConfig.intermediateMatches().size());
        }
    }

    /**
     * Sets how the teacher cache stores the teacher's outputs when {@code is_caching_logits} is on: float32 or
     * float16, in memory or in a scratch file, with an optional cap on its size. Call it before the first
     * {@code train}.
     *
     * @param config the storage
     * @return this distiller
     * @throws IllegalStateException when the cache already holds outputs
     */
    public BasicDistiller<B> optTeacherCache(TeacherCacheConfig config) {
        if (cache != null) {
            throw new IllegalStateException("the teacher cache is already in use; configure it before training");
        }
        cacheConfig = java.util.Objects.requireNonNull(config, "config");
        return this;
    }

    /**
     * Returns the bytes the teacher cache holds (memory or scratch file).
     *
     * @return the size, 0 when nothing is cached
     */
    public long teacherCacheBytes() {
        return cache == null ? 0 : cache.bytes();
    }

    /**
     * Tells whether this distiller computes intermediate matches.
     *
     * @return false here; true for {@link GeneralDistiller}
     */
    protected boolean usesMatches() {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject runConfig() {
        JsonObject o = super.runConfig();
        o.add("distillation_config", distillationConfig.toJsonObject());
        o.addProperty("distiller", getClass().getSimpleName());
        return o;
    }

    /** {@inheritDoc} */
    @Override
    protected Object teacherForward(B batch, StepContext ctx) {
        if (distillationConfig.isCachingLogits()) {
            if (cache == null) {
                cache = new TeacherCache(manager, usedTeacherFeatures(distillationConfig, usesMatches()),
                        cacheConfig);
            }
            List<AdaptedOutput> hit = cache.get(currentRawBatch(), ctx.manager());
            if (hit != null) {
                return hit.get(0);
            }
            AdaptedOutput t = teacher.forward(teacherStore, batch, ctx.manager(), false);
            cache.put(currentRawBatch(), List.of(t));
            return t;
        }
        // the teacher runs in a manager of its own; what the losses do not read is freed before the student runs
        if (usedFeatures == null) {
            usedFeatures = usedTeacherFeatures(distillationConfig, usesMatches());
        }
        try (NDManager teacherStep = ctx.manager().newSubManager()) {
            AdaptedOutput t = teacher.forward(teacherStore, batch, teacherStep, false);
            return TeacherOutputs.keep(t, usedFeatures, teacherStep, ctx.manager());
        }
    }

    /** {@inheritDoc} */
    @Override
    protected LossTerms studentLoss(B batch, Object teacherOutput, StepContext ctx) {
        AdaptedOutput s = studentModel.forward(studentStore, batch, ctx.manager(), true);
        return loss.compute(s, (AdaptedOutput) teacherOutput, projections(), usesMatches(), !usesMatches(), ctx);
    }

    /**
     * Returns the projections aligned with the intermediate matches.
     *
     * @return the projections ({@code null} entries where a match has none), or {@code null}
     */
    protected List<ProjectionLayer> projections() {
        return null;
    }

    /**
     * Lists the teacher feature entries the matches use (what the teacher cache keeps).
     *
     * @param config the config
     * @param withMatches whether matches are used
     * @return feature name to indices
     */
    static Map<String, Set<Integer>> usedTeacherFeatures(DistillationConfig config, boolean withMatches) {
        Map<String, Set<Integer>> used = new HashMap<>();
        if (withMatches) {
            for (IntermediateMatch m : config.intermediateMatches()) {
                used.computeIfAbsent(m.feature(), k -> new HashSet<>()).addAll(m.layerT());
            }
        }
        return used;
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
