package ai.distill4j.distill.run;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.adapt.Adaptor;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.FeatureShape;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.SentenceFeature;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link BertAdaptor} whose {@code sentence} feature is pooled by any {@link Pooling} (CLS, mean, max, mean over
 * the square root of the length, each optionally L2-normalised): every other feature, the logits, labels and losses
 * are the base adaptor's. The vector is computed from the last hidden state and the attention mask the model saw,
 * differentiably, in the step's manager.
 */
final class PooledSentenceAdaptor implements Adaptor<BertBatch, BertOutput> {

    private final BertAdaptor base;
    private final SentenceFeature sentence;

    PooledSentenceAdaptor(BertAdaptor base, Pooling pooling) {
        this.base = Objects.requireNonNull(base, "base");
        this.sentence = SentenceFeature.of(pooling);
    }

    @Override
    public AdaptedOutput adapt(BertBatch batch, BertOutput output, NDManager manager) {
        AdaptedOutput out = base.adapt(batch, output, manager);
        return out.toBuilder()
                .feature(SentenceFeature.NAME, List.of(sentence.compute(output, out.inputsMask())))
                .build();
    }

    @Override
    public Map<String, FeatureShape> layout() {
        return base.layout();
    }

    @Override
    public String toString() {
        return "BertAdaptor with " + sentence;
    }
}
