package ai.distill4j.distill.config;

import ai.distill4j.distill.internal.DidYouMean;
import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.ValidationException;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.relation.MiniLmV2Relation;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One intermediate match: a loss between features of aligned student and teacher layers, TextBrewer's
 * {@code {"layer_T", "layer_S", "feature", "loss", "weight", "proj"}}.
 *
 * <p>Layers take one of three forms: a single index on each side ({@code layer_T: 8, layer_S: 2}), a pair on each
 * side for pair losses ({@code fsp}/{@code gram}, {@code mmd}/{@code nst}: {@code layer_T: [8, 8]}), or a list of
 * equal length for multi-layer (relation) losses. The indices point into the adaptor's lists: for BERT,
 * {@code hidden[0]} is the embedding output and {@code attention[0]} the first layer. The form must fit the loss's
 * {@link ai.distill4j.loss.Arity}; this is checked when the match is built.
 *
 * <p>The match is logged as {@code unweighted_{feature}_{loss}_{layer_S}_{layer_T}} with list layers joined by
 * {@code -} (see {@link #name()}).
 *
 * @since 0.1.0
 */
public final class IntermediateMatch {

    /** The features an adaptor can provide. */
    public static final Set<String> FEATURES = Set.of("hidden", "attention", "query", "key", "value", "sentence");

    /** The JSON keys this object knows. */
    public static final Set<String> JSON_KEYS = Set.of("layer_T", "layer_S", "feature", "loss", "weight", "proj", "args");

    /** The feature each {@code minilmv2} {@code relation} label stands for. */
    private static final Map<String, String> MINILM_V2_FEATURES = Map.of("qq", "query", "kk", "key", "vv", "value");

    private final List<Integer> layerT;
    private final List<Integer> layerS;
    private final boolean listForm;
    private final String feature;
    private final String loss;
    private final double weight;
    private final Projection proj;
    private final LossArgs args;

    private IntermediateMatch(Builder b) {
        layerT = List.copyOf(b.layerT);
        layerS = List.copyOf(b.layerS);
        listForm = b.listForm;
        feature = b.feature;
        loss = b.loss;
        weight = b.weight;
        proj = b.proj;
        args = b.args;
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
     * Creates a single-layer match.
     *
     * @param layerT the teacher index
     * @param layerS the student index
     * @param feature the feature name ({@code hidden}, {@code attention}, ...)
     * @param loss the registry name of the loss
     * @param weight the weight
     * @return the match
     */
    public static IntermediateMatch of(int layerT, int layerS, String feature, String loss, double weight) {
        return builder().setLayers(layerT, layerS).setFeature(feature).setLoss(loss).setWeight(weight).build();
    }

    /**
     * Returns the teacher indices (one element in single form).
     *
     * @return {@code layer_T}
     */
    public List<Integer> layerT() {
        return layerT;
    }

    /**
     * Returns the student indices (one element in single form).
     *
     * @return {@code layer_S}
     */
    public List<Integer> layerS() {
        return layerS;
    }

    /**
     * Tells whether the layers were given as lists (pair or multi-layer form).
     *
     * @return true for list form
     */
    public boolean isListForm() {
        return listForm;
    }

    /**
     * Returns the feature name.
     *
     * @return {@code feature}
     */
    public String feature() {
        return feature;
    }

    /**
     * Returns the loss's registry name.
     *
     * @return {@code loss}
     */
    public String loss() {
        return loss;
    }

    /**
     * Returns the weight of this match's loss.
     *
     * @return {@code weight}
     */
    public double weight() {
        return weight;
    }

    /**
     * Returns the projection applied to the student's features.
     *
     * @return {@code proj}, empty for none
     */
    public Optional<Projection> proj() {
        return Optional.ofNullable(proj);
    }

    /**
     * Returns the loss arguments (a distill4j addition for losses that take parameters).
     *
     * @return {@code args}
     */
    public LossArgs args() {
        return args;
    }

    /**
     * Returns the name this match's loss is logged under, without the {@code unweighted_} prefix:
     * {@code {feature}_{loss}_{layer_S}_{layer_T}}, list layers joined with {@code -}.
     *
     * @return e.g. {@code hidden_mmd_2-2_8-8}
     */
    public String name() {
        return feature + "_" + loss + "_" + join(layerS) + "_" + join(layerT);
    }

    private static String join(List<Integer> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }

    /**
     * Reads a match from TextBrewer's dict form.
     *
     * @param object the JSON object
     * @param field the field name for messages ({@code intermediate_matches[3]})
     * @param registry the registry the loss name is checked against
     * @return the match
     */
    @SuppressWarnings("unchecked")
    public static IntermediateMatch fromJson(JsonObject object, String field, LossRegistry registry) {
        JsonReader r = new JsonReader(object, field);
        r.requireOnly(JSON_KEYS);
        for (String required : List.of("layer_T", "layer_S", "feature", "loss", "weight")) {
            if (!r.has(required)) {
                throw new ValidationException(r.field(required) + " is missing: an intermediate match needs "
                        + "layer_T, layer_S, feature, loss and weight");
            }
        }
        Builder b = builder().optRegistry(registry).optFieldName(field);
        JsonElement t = r.raw("layer_T");
        JsonElement s = r.raw("layer_S");
        if (t.isJsonArray() != s.isJsonArray()) {
            throw Invalid.value(
                    field + ".layer_S",
                    s.toString(),
                    "layer_T and layer_S must both be single indices or both be lists (layer_T is " + t + ")");
        }
        if (t.isJsonArray()) {
            b.setLayers(indices(t.getAsJsonArray(), r.field("layer_T")), indices(s.getAsJsonArray(), r.field("layer_S")));
        } else {
            b.setLayers(JsonReader.asInt(t, r.field("layer_T")), JsonReader.asInt(s, r.field("layer_S")));
        }
        b.setFeature(r.getString("feature", null));
        b.setLoss(r.getString("loss", null));
        b.setWeight(r.getDouble("weight", 0));
        if (r.has("proj")) {
            b.optProj(Projection.fromJson(r.raw("proj"), r.field("proj")));
        }
        if (r.has("args")) {
            b.optArgs(new LossArgs((Map<String, Object>) JsonReader.toJava(r.getObject("args").object())));
        }
        return b.build();
    }

    private static List<Integer> indices(JsonArray a, String field) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(JsonReader.asInt(a.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    /**
     * Writes TextBrewer's dict form.
     *
     * @return a new JSON object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.add("layer_T", listForm ? JsonReader.toJson(layerT) : JsonReader.toJson(layerT.get(0)));
        o.add("layer_S", listForm ? JsonReader.toJson(layerS) : JsonReader.toJson(layerS.get(0)));
        o.addProperty("feature", feature);
        o.addProperty("loss", loss);
        o.addProperty("weight", weight);
        if (proj != null) {
            o.add("proj", proj.toJson());
        }
        if (!args.values().isEmpty()) {
            o.add("args", JsonReader.toJson(args.values()));
        }
        return o;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof IntermediateMatch other && toJsonObject().equals(other.toJsonObject());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return toJsonObject().hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "IntermediateMatch" + toJsonObject();
    }

    /** Collects the fields of an {@link IntermediateMatch}; {@link #build()} validates them. */
    public static final class Builder {
        private List<Integer> layerT;
        private List<Integer> layerS;
        private boolean listForm;
        private String feature;
        private String loss;
        private Double weight;
        private Projection proj;
        private LossArgs args = LossArgs.EMPTY;
        private String field = "intermediate_match";
        private LossRegistry registry = LossRegistry.global();

        private Builder() {}

        /**
         * Sets single-index layers.
         *
         * @param teacher {@code layer_T}
         * @param student {@code layer_S}
         * @return this builder
         */
        public Builder setLayers(int teacher, int student) {
            layerT = List.of(teacher);
            layerS = List.of(student);
            listForm = false;
            return this;
        }

        /**
         * Sets list-form layers (pairs for pair losses, aligned lists for multi-layer losses).
         *
         * @param teacher {@code layer_T}
         * @param student {@code layer_S}
         * @return this builder
         */
        public Builder setLayers(List<Integer> teacher, List<Integer> student) {
            layerT = List.copyOf(Objects.requireNonNull(teacher, "layer_T"));
            layerS = List.copyOf(Objects.requireNonNull(student, "layer_S"));
            listForm = true;
            return this;
        }

        /**
         * Sets the feature.
         *
         * @param value {@code hidden}, {@code attention}, {@code query}, {@code key}, {@code value} or
         *     {@code sentence}
         * @return this builder
         */
        public Builder setFeature(String value) {
            feature = value;
            return this;
        }

        /**
         * Sets the loss.
         *
         * @param value a registry name of an intermediate-match loss
         * @return this builder
         */
        public Builder setLoss(String value) {
            loss = value;
            return this;
        }

        /**
         * Sets the weight.
         *
         * @param value the weight, finite and {@code >= 0}
         * @return this builder
         */
        public Builder setWeight(double value) {
            weight = value;
            return this;
        }

        /**
         * Sets the projection of the student's features.
         *
         * @param value the projection, or {@code null} for none
         * @return this builder
         */
        public Builder optProj(Projection value) {
            proj = value;
            return this;
        }

        /**
         * Sets the loss arguments.
         *
         * @param value the arguments
         * @return this builder
         */
        public Builder optArgs(LossArgs value) {
            args = value == null ? LossArgs.EMPTY : value;
            return this;
        }

        /**
         * Sets the registry the loss name is checked against (default {@link LossRegistry#global()}).
         *
         * @param value the registry
         * @return this builder
         */
        public Builder optRegistry(LossRegistry value) {
            registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        /**
         * Sets the field path used in error messages.
         *
         * @param value e.g. {@code distillation_config.intermediate_matches[2]}
         * @return this builder
         */
        public Builder optFieldName(String value) {
            field = value;
            return this;
        }

        /**
         * Validates and builds: layers present and non-negative, same count on both sides, a known feature, a
         * known loss whose arity fits the layer form, a finite non-negative weight.
         *
         * @return the match
         * @throws ValidationException naming the invalid field, its value and the rule
         */
        public IntermediateMatch build() {
            if (layerT == null || layerS == null) {
                throw new ValidationException(field + ".layer_T/layer_S are missing: set them with setLayers");
            }
            Invalid.check(!layerT.isEmpty(), field + ".layer_T", layerT, "must not be an empty list");
            Invalid.check(
                    layerT.size() == layerS.size(),
                    field + ".layer_S",
                    layerS,
                    "must have as many layers as layer_T " + layerT);
            for (int i : layerT) {
                Invalid.check(i >= 0, field + ".layer_T", listForm ? layerT : i, "layer indices must be >= 0");
            }
            for (int i : layerS) {
                Invalid.check(i >= 0, field + ".layer_S", listForm ? layerS : i, "layer indices must be >= 0");
            }
            Invalid.check(
                    feature != null && FEATURES.contains(feature),
                    field + ".feature",
                    feature,
                    "must be one of " + new java.util.TreeSet<>(FEATURES) + DidYouMean.hint(feature, FEATURES));
            Invalid.check(loss != null, field + ".loss", null, "is required");
            Invalid.check(
                    weight != null && Double.isFinite(weight) && weight >= 0,
                    field + ".weight",
                    weight,
                    "must be a finite number >= 0");
            if (!registry.matchNames().contains(loss)) {
                throw Invalid.unknownName(field + ".loss", loss, "intermediate-match loss", registry.matchNames());
            }
            MatchLoss instance;
            try {
                instance = registry.match(loss, args);
            } catch (IllegalArgumentException e) {
                throw new ValidationException(field + ".args: " + e.getMessage(), e);
            }
            try {
                instance.arity().check(loss, listForm ? layerT.size() : 1);
            } catch (IllegalArgumentException e) {
                throw new ValidationException(field + ": " + e.getMessage(), e);
            }
            if (instance.arity() != ai.distill4j.loss.Arity.SINGLE && !listForm) {
                throw Invalid.value(field + ".layer_T", layerT.get(0), "loss '" + loss + "' takes lists of layers");
            }
            if (instance instanceof MiniLmV2Relation r && r.relation() != null) {
                String fed = MINILM_V2_FEATURES.get(r.relation());
                Invalid.check(fed.equals(feature), field + ".args.relation", r.relation(),
                        "names the '" + fed + "' relation but the match's feature is '" + feature
                                + "'; set \"feature\": \"" + fed + "\" or change the relation");
            }
            return new IntermediateMatch(this);
        }
    }
}
