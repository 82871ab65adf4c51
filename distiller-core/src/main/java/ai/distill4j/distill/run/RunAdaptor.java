package ai.distill4j.distill.run;

import ai.distill4j.distill.adapt.Adaptor;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.PoolingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The run file's {@code adaptor} object: which attention maps the adaptors return ({@code attention}) and how the
 * {@code sentence} feature is pooled ({@code pooling}, {@code normalize}). Both sides, teacher and student, use the
 * same adaptor; the pooling is also the one the embedding-agreement evaluation and a Sentence-Transformers export
 * use.
 *
 * @param attention scores or probabilities
 * @param pooling the pooling of the {@code sentence} feature
 */
record RunAdaptor(BertAdaptor.Attention attention, Pooling pooling) {

    /** The keys of the {@code adaptor} object. */
    static final Set<String> KEYS = Set.of("attention", "pooling", "normalize");

    /** The run-file names of the pooling modes, in the order the docs list them. */
    static final Map<String, PoolingMode> POOLINGS = poolings();

    private static Map<String, PoolingMode> poolings() {
        Map<String, PoolingMode> m = new LinkedHashMap<>();
        m.put("mean", PoolingMode.MEAN);
        m.put("cls", PoolingMode.CLS);
        m.put("max", PoolingMode.MAX);
        m.put("mean_sqrt_len", PoolingMode.MEAN_SQRT_LEN);
        return m;
    }

    /** Scores, mean pooling without normalisation: what a run file without {@code adaptor} gets. */
    static RunAdaptor defaults() {
        return new RunAdaptor(BertAdaptor.Attention.SCORES, Pooling.mean());
    }

    /**
     * Reads the {@code adaptor} object.
     *
     * @param a the object's reader, or null when the run file has no {@code adaptor}
     * @return the settings
     * @throws IllegalArgumentException naming the field, the value and the rule
     */
    static RunAdaptor parse(JsonReader a) {
        if (a == null) {
            return defaults();
        }
        a.requireOnly(KEYS);
        String att = a.getString("attention", "scores");
        Invalid.check(att.equals("scores") || att.equals("probs"), a.field("attention"), att,
                "must be \"scores\" or \"probs\"");
        String name = a.getString("pooling", "mean");
        PoolingMode mode = POOLINGS.get(name);
        if (mode == null && name.equals(PoolingMode.MEAN_SQRT_LEN.externalName())) {
            mode = PoolingMode.MEAN_SQRT_LEN; // Sentence-Transformers' own name
        }
        if (mode == null) {
            throw Invalid.unknownName(a.field("pooling"), name, "pooling", POOLINGS.keySet());
        }
        boolean normalize = a.getBoolean("normalize", false);
        return new RunAdaptor(att.equals("scores") ? BertAdaptor.Attention.SCORES : BertAdaptor.Attention.PROBS,
                new Pooling(mode, normalize));
    }

    /**
     * Builds the adaptor of one model: the project's {@link BertAdaptor}, with the {@code sentence} feature pooled
     * as configured. Mean pooling without normalisation is exactly {@link BertAdaptor.SentencePooling#MEAN}.
     *
     * @param config the model's config
     * @param hardLabelLoss whether {@code losses} carries the cross-entropy against the labels
     * @return the adaptor
     */
    Adaptor<BertBatch, BertOutput> adaptor(BertConfig config, boolean hardLabelLoss) {
        if (pooling.equals(Pooling.mean())) {
            return new BertAdaptor(config, attention, hardLabelLoss, BertAdaptor.SentencePooling.MEAN);
        }
        // the base's CLS vector is a slice, cheaper than a mean that would be replaced anyway
        return new PooledSentenceAdaptor(
                new BertAdaptor(config, attention, hardLabelLoss, BertAdaptor.SentencePooling.CLS), pooling);
    }
}
