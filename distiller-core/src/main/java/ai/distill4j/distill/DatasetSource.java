package ai.distill4j.distill;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A DJL {@link Dataset} as a {@link DataSource}: every pass asks the dataset for its batches again, converts each
 * DJL {@link Batch} into the distiller's batch type and closes it (its arrays) right away. The size is counted once,
 * by running one pass, the first time it is asked for.
 *
 * @param <B> the batch type
 */
final class DatasetSource<B> implements DataSource<B> {

    private final Dataset dataset;
    private final NDManager manager;
    private final Function<Batch, B> converter;
    private OptionalInt size;

    DatasetSource(Dataset dataset, NDManager manager, Function<Batch, B> converter) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    @Override
    public Iterator<B> pass(int epoch) {
        Iterator<Batch> batches = batches(epoch);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("pass " + epoch + " of the dataset has no more batches");
                }
                try (Batch batch = batches.next()) {
                    B converted = converter.apply(batch);
                    if (converted == null) {
                        throw new IllegalStateException("the batch converter returned null for a batch of pass "
                                + epoch);
                    }
                    return converted;
                }
            }
        };
    }

    @Override
    public synchronized OptionalInt size() {
        if (size == null) {
            int n = 0;
            Iterator<Batch> it = batches(-1);
            while (it.hasNext()) {
                it.next().close();
                n++;
            }
            size = OptionalInt.of(n);
        }
        return size;
    }

    private Iterator<Batch> batches(int epoch) {
        try {
            return dataset.getData(manager).iterator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pass " + epoch + " of the dataset: " + e.getMessage(), e);
        } catch (TranslateException e) {
            throw new IllegalStateException("cannot read pass " + epoch + " of the dataset: " + e.getMessage(), e);
        }
    }
}
