package ai.distill4j.distill;

import ai.distill4j.distill.internal.Seeds;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Function;

/**
 * The batches a distiller trains on, one pass (epoch) at a time.
 *
 * <p>Epoch mode needs {@link #size()} (batches per epoch); step mode cycles through passes and accepts unsized
 * sources. The batches of pass {@code e} come from {@link #pass(int)}; a source that shuffles derives the order
 * from {@code (seed, e)} only, so that a resumed run sees the same batches in the same order.
 *
 * <p>Ready sources: {@link #of(List)} (a list, in order), {@link #shuffled(List, long)} (a list, reshuffled every
 * pass), {@link #of(Iterable)} (any iterable, re-iterated every pass) and
 * {@link #fromDataset(Dataset, NDManager, Function)} (a DJL dataset, each DJL batch converted, e.g. with
 * {@link ai.distill4j.distill.adapt.BertBatch#fromDjl(Batch)}).
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

    /**
     * Wraps a DJL {@link Dataset}: every pass calls {@code dataset.getData(manager)} again, converts each DJL
     * {@link Batch} with {@code converter} and closes it (its arrays) straight after, so the source holds no native
     * memory between batches. The converter must copy what it needs to the host, e.g.
     * {@link ai.distill4j.distill.adapt.BertBatch#fromDjl(Batch)}.
     *
     * <p>The size (for epoch mode) is counted once, by running one pass when it is first asked for. The dataset's own
     * sampler decides the order; a dataset that shuffles with its own random generator does not give a resumed run
     * the same order, unlike {@link #shuffled(List, long)}.
     *
     * @param dataset the dataset, already prepared ({@link Dataset#prepare()})
     * @param manager the manager the DJL batches are created in (each in a sub-manager closed after conversion)
     * @param converter turns one DJL batch into one batch of the distiller; must not return {@code null}
     * @param <B> the batch type
     * @return the source
     * @throws java.io.UncheckedIOException when the dataset cannot be read (from {@link #pass(int)} or
     *     {@link #size()})
     */
    static <B> DataSource<B> fromDataset(Dataset dataset, NDManager manager, Function<Batch, B> converter) {
        return new DatasetSource<>(dataset, manager, converter);
    }
}
