package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.loss.GraphScalar;
import ai.distill4j.loss.KdLoss;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.TemperatureScheduler;
import ai.distill4j.loss.WeightScheduler;
import ai.distill4j.loss.logit.LogitRows;
import ai.distill4j.loss.logit.ProbabilityShift;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles the loss of one batch from adapted outputs exactly as TextBrewer's {@code compute_loss}: the KD term
 * over every logits pair (after logits-mask row selection and the optional probability shift, at the scheduled
 * temperature), each intermediate match (projection on the student side), and the hard-label term, with the live
 * weights of {@code global_step / total_steps}.
 *
 * <p>{@code L = w_kd · Σ_k KD(S_k, T_k, τ_k) + Σ_m w_m · L_m(proj(S_m), T_m, inputs_mask_S) + w_hl · Σ_j mean(losses_j)}
 *
 * @since 0.1.0
 */
public final class DistillationLoss {

    /** The log name of the KD term. */
    public static final String KD = "unweighted_kd_loss";

    /** The log name of the hard-label term. */
    public static final String HARD_LABEL = "unweighted_hard_label_loss";

    private final DistillationConfig config;
    private final KdLoss kd;
    private final TemperatureScheduler temperatureScheduler;
    private final WeightScheduler kdWeightScheduler;
    private final WeightScheduler hardLabelWeightScheduler;
    private final List<MatchLoss> matchLosses = new ArrayList<>();

    /**
     * Resolves every loss and scheduler of a config.
     *
     * @param config the config
     * @param registry the registry its names refer to
     */
    public DistillationLoss(DistillationConfig config, LossRegistry registry) {
        this.config = config;
        this.kd = registry.kd(config.kdLossType(), config.kdLossArgs());
        this.temperatureScheduler = config.temperatureScheduler().map(s -> s.create(registry)).orElse(null);
        this.kdWeightScheduler = config.kdLossWeightScheduler().map(registry::weight).orElse(null);
        this.hardLabelWeightScheduler = config.hardLabelWeightScheduler().map(registry::weight).orElse(null);
        for (IntermediateMatch m : config.intermediateMatches()) {
            matchLosses.add(registry.match(m.loss(), m.args()));
        }
    }

    /**
     * Returns the config.
     *
     * @return the config
     */
    public DistillationConfig config() {
        return config;
    }

    /**
     * Returns the live KD weight: the configured weight before the first optimizer step, then the scheduler's
     * value at {@code global_step / total_steps} (TextBrewer replaces the weight after each step).
     *
     * @param ctx the step
     * @return the weight
     */
    public double kdWeight(StepContext ctx) {
        return live(config.kdLossWeight(), kdWeightScheduler, ctx);
    }

    /**
     * Returns the live hard-label weight (see {@link #kdWeight}).
     *
     * @param ctx the step
     * @return the weight
     */
    public double hardLabelWeight(StepContext ctx) {
        return live(config.hardLabelWeight(), hardLabelWeightScheduler, ctx);
    }

    private static double live(double base, WeightScheduler s, StepContext ctx) {
        if (s == null || ctx.globalStep() == 0) {
            return base;
        }
        return s.weight(base, ctx.progress());
    }

    /**
     * Computes the loss of a batch with one teacher.
     *
     * @param student the student's adapted output
     * @param teacher the teacher's adapted output
     * @param projections one projection per intermediate match, {@code null} where none
     * @param withMatches whether intermediate matches are computed (General, MultiTask)
     * @param requireLogits whether missing logits are an error (Basic) or skip KD (General)
     * @param ctx the step
     * @return the total and the unweighted terms
     */
    public LossTerms compute(
            AdaptedOutput student,
            AdaptedOutput teacher,
            List<ProjectionLayer> projections,
            boolean withMatches,
            boolean requireLogits,
            StepContext ctx) {
        return compute(student, List.of(teacher), null, projections, withMatches, requireLogits, ctx);
    }

    /**
     * Computes the loss of a batch with one or more teachers. The KD term uses the teachers' logits averaged (with
     * weights when given: {@code Σ w_t·T_t / Σ w_t}; TextBrewer's plain mean otherwise) and teacher 0's logits mask;
     * each intermediate match is computed against every teacher and averaged with the same weights.
     *
     * @param student the student's adapted output
     * @param teachers the teachers' adapted outputs
     * @param weights one weight per teacher, or {@code null} for equal weights
     * @param projections one projection per intermediate match, {@code null} where none
     * @param withMatches whether intermediate matches are computed
     * @param requireLogits whether missing logits are an error
     * @param ctx the step
     * @return the total and the unweighted terms
     */
    public LossTerms compute(
            AdaptedOutput student,
            List<AdaptedOutput> teachers,
            double[] weights,
            List<ProjectionLayer> projections,
            boolean withMatches,
            boolean requireLogits,
            StepContext ctx) {
        Map<String, NDArray> terms = new LinkedHashMap<>();
        NDArray total = null;
        NDManager m = ctx.manager();
        AdaptedOutput teacher = teachers.size() == 1 ? teachers.get(0) : averaged(teachers, weights);
        boolean hasLogits = !student.logits().isEmpty() && !teacher.logits().isEmpty();
        if (!hasLogits && requireLogits) {
            throw new IllegalStateException(
                    "KD needs 'logits' from both adaptors, but the "
                            + (student.logits().isEmpty() ? "student" : "teacher") + " adaptor returned none");
        }
        if (hasLogits) {
            NDArray kdLoss = kdLoss(student, teacher, m);
            terms.put(KD, kdLoss);
            total = kdLoss.mul(GraphScalar.of(kdLoss, kdWeight(ctx)));
        }
        if (withMatches) {
            List<IntermediateMatch> matches = config.intermediateMatches();
            for (int i = 0; i < matches.size(); i++) {
                IntermediateMatch match = matches.get(i);
                List<NDArray> fs = select(student, match, match.layerS(), "student", i);
                ProjectionLayer proj = projections == null || projections.size() <= i ? null : projections.get(i);
                if (proj != null) {
                    List<NDArray> projected = new ArrayList<>(fs.size());
                    for (NDArray x : fs) {
                        projected.add(proj.apply(x));
                    }
                    fs = projected;
                }
                NDArray loss = null;
                double weightSum = 0;
                for (int t = 0; t < teachers.size(); t++) {
                    List<NDArray> ft = select(teachers.get(t), match, match.layerT(), "teacher", i);
                    NDArray lt = matchLosses.get(i).compute(fs, ft, student.inputsMask());
                    if (teachers.size() > 1) {
                        double w = weights == null ? 1.0 : weights[t];
                        lt = lt.mul(GraphScalar.of(lt, w));
                        weightSum += w;
                    }
                    loss = loss == null ? lt : loss.add(lt);
                }
                if (teachers.size() > 1) {
                    loss = loss.div(GraphScalar.of(loss, weightSum));
                }
                terms.put("unweighted_" + match.name(), loss);
                NDArray weighted = loss.mul(GraphScalar.of(loss, match.weight()));
                total = total == null ? weighted : total.add(weighted);
            }
        }
        if (!student.losses().isEmpty()) {
            NDArray hard = null;
            for (NDArray l : student.losses()) {
                NDArray mean = l.getShape().dimension() == 0 ? l : l.mean();
                hard = hard == null ? mean : hard.add(mean);
            }
            terms.put(HARD_LABEL, hard);
            NDArray weighted = hard.mul(GraphScalar.of(hard, hardLabelWeight(ctx)));
            total = total == null ? weighted : total.add(weighted);
        }
        if (total == null) {
            throw new IllegalStateException(
                    "no loss term: the adaptors returned no logits, no losses, and there are no intermediate matches");
        }
        return new LossTerms(total, terms);
    }

    private static AdaptedOutput averaged(List<AdaptedOutput> teachers, double[] weights) {
        AdaptedOutput first = teachers.get(0);
        int k = first.logits().size();
        for (AdaptedOutput t : teachers) {
            if (t.logits().size() != k) {
                throw new IllegalStateException("every teacher adaptor must return the same number of logits tensors");
            }
        }
        List<NDArray> avg = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            NDArray sum = null;
            double wsum = 0;
            for (int t = 0; t < teachers.size(); t++) {
                NDArray l = teachers.get(t).logits().get(i);
                if (weights != null) {
                    l = l.mul((float) weights[t]);
                    wsum += weights[t];
                }
                sum = sum == null ? l : sum.add(l);
            }
            avg.add(sum.div((float) (weights == null ? teachers.size() : wsum)));
        }
        return first.withLogits(avg);
    }

    private NDArray kdLoss(AdaptedOutput student, AdaptedOutput teacher, NDManager m) {
        List<NDArray> ls = student.logits();
        List<NDArray> lt = teacher.logits();
        if (ls.size() != lt.size()) {
            throw new IllegalStateException(
                    "the student adaptor returned " + ls.size() + " logits tensors and the teacher's " + lt.size()
                            + "; they must match one to one");
        }
        NDArray sum = null;
        for (int k = 0; k < ls.size(); k++) {
            NDArray maskS = mask(student.logitsMask(), k, "student");
            NDArray maskT = mask(teacher.logitsMask(), k, "teacher");
            NDArray s = LogitRows.select(ls.get(k), maskS);
            NDArray t = LogitRows.select(lt.get(k).stopGradient(), maskT);
            if (config.probabilityShift()) {
                if (student.labels().size() <= k) {
                    throw new IllegalStateException(
                            "probability_shift needs 'labels' from the student adaptor for logits " + k);
                }
                NDArray labels = student.labels().get(k);
                t = maskT != null && lt.get(k).getShape().dimension() == 3
                        ? ProbabilityShift.shiftSelected(t, labels, maskT)
                        : ProbabilityShift.shift(t, labels);
            }
            NDArray tau;
            if (temperatureScheduler != null) {
                tau = temperatureScheduler.temperature(s.stopGradient(), t.stopGradient(), config.temperature());
            } else {
                tau = GraphScalar.of(s, config.temperature()); // PyTorch-owned: see GraphScalar
            }
            NDArray l = kd.compute(s, t, tau);
            sum = sum == null ? l : sum.add(l);
        }
        return sum;
    }

    private static NDArray mask(List<NDArray> masks, int k, String side) {
        if (masks.isEmpty()) {
            return null;
        }
        if (masks.size() == 1) {
            return masks.get(0);
        }
        if (k >= masks.size()) {
            throw new IllegalStateException(
                    "the " + side + " adaptor returned " + masks.size() + " logits masks for more logits tensors");
        }
        return masks.get(k);
    }

    private static List<NDArray> select(
            AdaptedOutput out, IntermediateMatch match, List<Integer> layers, String side, int index) {
        List<NDArray> feature = out.feature(match.feature());
        List<NDArray> picked = new ArrayList<>(layers.size());
        for (int layer : layers) {
            if (layer >= feature.size()) {
                throw new IllegalArgumentException(
                        "intermediate_matches[" + index + "].layer_" + (side.equals("student") ? "S" : "T") + " = "
                                + layer + ": out of range: the " + side + " adaptor's '" + match.feature()
                                + "' list has " + feature.size() + " entries"
                                + (feature.isEmpty() ? "" : " (0.." + (feature.size() - 1) + ")"));
            }
            picked.add(feature.get(layer));
        }
        return picked;
    }
}
