package ai.distill4j.distill.adapt;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an adaptor extracts from a model's output for distillation (TextBrewer's adaptor dict, typed).
 *
 * <ul>
 *   <li>{@code logits}: {@code (B, C)} or {@code (B, L, C)} tensors; the KD loss is computed per element and summed.
 *   <li>{@code logitsMask}: {@code (B, L)} 0/1 per logits tensor (or one for all) that selects the rows of 3-D
 *       logits.
 *   <li>{@code labels}: gold labels per logits tensor, for the probability shift.
 *   <li>{@code losses}: scalars (or vectors, averaged) the model computed itself, e.g. cross-entropy against gold
 *       labels; their sum is the hard-label loss.
 *   <li>{@code inputsMask}: {@code (B, L)} 0/1, the mask the match losses receive (the student's is used).
 *   <li>features by name: {@code hidden} {@code (B, L, D)} per layer, {@code attention} {@code (B, H, L, L)} per
 *       layer, {@code query}/{@code key}/{@code value} {@code (B, H, L, d)} per layer, {@code sentence}
 *       {@code (B, D)}; intermediate matches index into these lists.
 * </ul>
 *
 * <p>Instances are immutable; the arrays belong to the step's manager.
 *
 * @since 0.1.0
 */
public final class AdaptedOutput {

    private final List<NDArray> logits;
    private final List<NDArray> logitsMask;
    private final List<NDArray> labels;
    private final List<NDArray> losses;
    private final NDArray inputsMask;
    private final Map<String, List<NDArray>> features;

    private AdaptedOutput(Builder b) {
        logits = Collections.unmodifiableList(new ArrayList<>(b.logits));
        logitsMask = Collections.unmodifiableList(new ArrayList<>(b.logitsMask));
        labels = Collections.unmodifiableList(new ArrayList<>(b.labels));
        losses = Collections.unmodifiableList(new ArrayList<>(b.losses));
        inputsMask = b.inputsMask;
        Map<String, List<NDArray>> f = new LinkedHashMap<>();
        b.features.forEach((k, v) -> f.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
        features = Collections.unmodifiableMap(f);
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the logits tensors.
     *
     * @return possibly empty
     */
    public List<NDArray> logits() {
        return logits;
    }

    /**
     * Returns the logits masks.
     *
     * @return possibly empty
     */
    public List<NDArray> logitsMask() {
        return logitsMask;
    }

    /**
     * Returns the gold labels.
     *
     * @return possibly empty
     */
    public List<NDArray> labels() {
        return labels;
    }

    /**
     * Returns the model's own losses.
     *
     * @return possibly empty
     */
    public List<NDArray> losses() {
        return losses;
    }

    /**
     * Returns the inputs mask.
     *
     * @return the mask or {@code null}
     */
    public NDArray inputsMask() {
        return inputsMask;
    }

    /**
     * Returns a feature list.
     *
     * @param name {@code hidden}, {@code attention}, {@code query}, {@code key}, {@code value}, {@code sentence}
     * @return the list, empty when the adaptor did not provide it
     */
    public List<NDArray> feature(String name) {
        return features.getOrDefault(name, List.of());
    }

    /**
     * Returns every feature list by name.
     *
     * @return the features
     */
    public Map<String, List<NDArray>> features() {
        return features;
    }

    /**
     * Returns a copy with other logits (used for averaged or cached teacher logits).
     *
     * @param newLogits the logits
     * @return the copy
     */
    public AdaptedOutput withLogits(List<NDArray> newLogits) {
        Builder b = toBuilder();
        b.logits = new ArrayList<>(newLogits);
        return b.build();
    }

    /**
     * Starts a builder holding this output's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.logits.addAll(logits);
        b.logitsMask.addAll(logitsMask);
        b.labels.addAll(labels);
        b.losses.addAll(losses);
        b.inputsMask = inputsMask;
        features.forEach((k, v) -> b.features.put(k, new ArrayList<>(v)));
        return b;
    }

    /** Collects the fields of an {@link AdaptedOutput}. */
    public static final class Builder {
        private List<NDArray> logits = new ArrayList<>();
        private final List<NDArray> logitsMask = new ArrayList<>();
        private final List<NDArray> labels = new ArrayList<>();
        private final List<NDArray> losses = new ArrayList<>();
        private NDArray inputsMask;
        private final Map<String, List<NDArray>> features = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds logits.
         *
         * @param value {@code (B, C)} or {@code (B, L, C)}
         * @return this builder
         */
        public Builder addLogits(NDArray value) {
            logits.add(Objects.requireNonNull(value, "logits"));
            return this;
        }

        /**
         * Adds a logits mask.
         *
         * @param value {@code (B, L)}
         * @return this builder
         */
        public Builder addLogitsMask(NDArray value) {
            logitsMask.add(Objects.requireNonNull(value, "logits_mask"));
            return this;
        }

        /**
         * Adds gold labels.
         *
         * @param value {@code (B)} or {@code (B, L)}
         * @return this builder
         */
        public Builder addLabels(NDArray value) {
            labels.add(Objects.requireNonNull(value, "labels"));
            return this;
        }

        /**
         * Adds a loss the model computed.
         *
         * @param value a scalar (or a vector, averaged)
         * @return this builder
         */
        public Builder addLoss(NDArray value) {
            losses.add(Objects.requireNonNull(value, "losses"));
            return this;
        }

        /**
         * Sets the inputs mask.
         *
         * @param value {@code (B, L)}
         * @return this builder
         */
        public Builder inputsMask(NDArray value) {
            inputsMask = value;
            return this;
        }

        /**
         * Sets a feature list.
         *
         * @param name the feature name
         * @param values one tensor per layer
         * @return this builder
         */
        public Builder feature(String name, List<NDArray> values) {
            features.put(Objects.requireNonNull(name, "name"), new ArrayList<>(values));
            return this;
        }

        /**
         * Sets the hidden states.
         *
         * @param values {@code (B, L, D)} per layer; for BERT index 0 is the embedding output
         * @return this builder
         */
        public Builder hidden(List<NDArray> values) {
            return feature("hidden", values);
        }

        /**
         * Sets the attention maps.
         *
         * @param values {@code (B, H, L, L)} per layer
         * @return this builder
         */
        public Builder attention(List<NDArray> values) {
            return feature("attention", values);
        }

        /**
         * Builds.
         *
         * @return the output
         */
        public AdaptedOutput build() {
            return new AdaptedOutput(this);
        }
    }
}
