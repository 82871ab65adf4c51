package ai.distill4j.distill.adapt;

/**
 * The size of one feature list an adaptor produces: how many entries it has and how wide each is (the last
 * dimension for hidden states and sentence vectors, the number of heads for attention maps).
 *
 * @param count the number of entries (valid indices are {@code 0..count-1})
 * @param width the width of each entry
 * @since 0.1.0
 */
public record FeatureShape(int count, int width) {}
