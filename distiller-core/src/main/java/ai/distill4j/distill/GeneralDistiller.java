package ai.distill4j.distill;

import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.ParameterGroup;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Single-teacher distillation with intermediate matches and projections (TextBrewer's {@code GeneralDistiller},
 * the recommended one): the KD term (skipped when either adaptor returns no logits), every intermediate match with
 * its projection on the student side, and the hard-label term.
 *
 * <p>Projections are created at the first {@code train} call (N(0, 0.02²) weights from the run's seed, zero bias),
 * trained with the student in their own parameter groups (optional {@code lr}/{@code weight_decay}), clipped with
 * the student, and saved in checkpoints as {@code proj.<match index>.weight/bias}. Unlike TextBrewer, logits caching
 * works here too (the teacher features the matches use are cached with the logits).
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public class GeneralDistiller<B> extends BasicDistiller<B> {

    private List<ProjectionLayer> projections;

    /**
     * Creates the distiller and checks the matches against the adaptors' feature layouts.
     *
     * @param trainingConfig the training config
     * @param distillationConfig the distillation config
     * @param teacher the teacher and its adaptor
     * @param student the student and its adaptor
     * @throws IllegalArgumentException when a match does not fit the models (index out of range, width mismatch
     *     without a projection, projection widths)
     */
    public GeneralDistiller(TrainingConfig trainingConfig, DistillationConfig distillationConfig,
            AdaptedModel<B> teacher, AdaptedModel<B> student) {
        super(trainingConfig, distillationConfig, teacher, student);
        MatchValidation.check(distillationConfig.intermediateMatches(), teacher.layout(), student.layout());
    }

    /** {@inheritDoc} */
    @Override
    protected boolean usesMatches() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    protected List<ProjectionLayer> projections() {
        return projections;
    }

    /**
     * Returns the projections by match index (created at the first {@code train}).
     *
     * @return the projections, {@code null} where a match has none; empty before training
     */
    public List<ProjectionLayer> projectionLayers() {
        return projections == null ? List.of() : java.util.Collections.unmodifiableList(projections);
    }

    /** {@inheritDoc} */
    @Override
    protected List<Map.Entry<Map<String, Parameter>, ParameterGroup>> extraParameters(long seed) {
        if (projections == null) {
            projections = Projections.create(distillationConfig.intermediateMatches(), manager, seed);
        }
        return Projections.groups(projections);
    }
}
