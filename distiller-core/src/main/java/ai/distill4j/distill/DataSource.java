package ai.distill4j.distill;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;

/**
 * The batches a distiller trains on, one pass (epoch) at a time.
 *
 * <p>Epoch mode needs {@link #size()} (batches per epoch); step mode cycles through passes and accepts unsized
 * sources. The batches of pass {@code e} come from {@link #pass(int)}; a source that shuffles derives the order
 * from {@code (seed, e)} only, so that a resumed run sees the same batches in the same order.
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public interface DataSource<B> {

    /**
     * Returns the batches of one pass.
     *
     * @param epoch the pass number, from 0
     * @return an iterator over the pass's batches
     */
    Iterator<B> pass(int epoch);

    /**
     * Returns the number of batches per pass, when known.
     *
     * @return the size, empty for unsized sources
     */
    OptionalInt size();

    /**
     * Wraps a list of batches, used in order every pass.
     *
     * @param batches the batches
     * @param <B> the batch type
     * @return the source
     */
    static <B> DataSource<B> of(List<B> batches) {
        List<B> copy = List.copyOf(batches);
        return new DataSource<>() {
            @Override
            public Iterator<B> pass(int epoch) {
                return copy.iterator();
            }

            @Override
            public OptionalInt size() {
                return OptionalInt.of(copy.size());
            }
        };
    }

    /**
     * Wraps any iterable, re-iterated every pass; sized when it is a {@link Collection}.
     *
     * @param batches the batches
     * @param <B> the batch type
     * @return the source
     */
    static <B> DataSource<B> of(Iterable<B> batches) {
        Objects.requireNonNull(batches, "batches");
        if (batches instanceof List<B> list) {
            return of(list);
        }
        return new DataSource<>() {
            @Override
            public Iterator<B> pass(int epoch) {
                return batches.iterator();
            }

            @Override
            public OptionalInt size() {
                return batches instanceof Collection<?> c ? OptionalInt.of(c.size()) : OptionalInt.empty();
            }
        };
    }

    /**
     * Wraps a list of batches whose order is shuffled every pass, from {@code (seed, epoch)}.
     *
     * @param batches the batches
     * @param seed the base seed
     * @param <B> the batch type
     * @return the source
     */
    static <B> DataSource<B> shuffled(List<B> batches, long seed) {
        List<B> copy = List.copyOf(batches);
        return new DataSource<>() {
            @Override
            public Iterator<B> pass(int epoch) {
                List<B> order = new ArrayList<>(copy);
                Collections.shuffle(order, new Random(Seeds.mix(seed, epoch)));
                return order.iterator();
            }

            @Override
            public OptionalInt size() {
                return OptionalInt.of(copy.size());
            }
        };
    }
}
