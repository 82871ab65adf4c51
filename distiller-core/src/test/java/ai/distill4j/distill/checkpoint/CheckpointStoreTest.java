package ai.distill4j.distill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path output;

    private static TrainingState state(long step) {
        return TrainingState.of(step, (int) (step / 10), step % 10, step * 2, 1234L);
    }

    /** Writes a fake model file whose content depends on the step, and a file in a subfolder. */
    private static CheckpointContent weights(long step) {
        return dir -> {
            Files.writeString(dir.resolve("model.safetensors"), "weights of step " + step);
            Files.createDirectories(dir.resolve("optimizer"));
            Files.write(dir.resolve("optimizer/moments.bin"), new byte[(int) (100 + step)]);
        };
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(output.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private String latestPointer() throws IOException {
        return Files.readString(output.resolve("checkpoints/latest"), StandardCharsets.UTF_8).trim();
    }

    @Test
    void savesAStepFolderWithStateManifestAndLatestPointer() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        Checkpoint saved = store.save(state(10), weights(10));

        assertEquals(output.resolve("checkpoints/step-10").toAbsolutePath(), saved.directory());
        assertEquals(List.of("latest", "step-10"), entries());
        assertEquals("step-10", latestPointer());
        assertEquals(Map.of("model.safetensors", 18L, "optimizer/moments.bin", 110L, "state.json",
                Files.size(saved.directory().resolve("state.json"))), saved.files());
        assertEquals(List.of("model.safetensors", "optimizer/moments.bin", "state.json"),
                List.copyOf(saved.files().keySet()));
        assertTrue(Files.readString(saved.directory().resolve("COMPLETE")).contains("\"crc32c\""));

        Checkpoint latest = store.latest().orElseThrow();
        assertEquals(10, latest.step());
        assertEquals(state(10), latest.state());
        assertEquals("weights of step 10", Files.readString(latest.file("model.safetensors")));
    }

    @Test
    void aWriterThatFailsHalfwayLeavesThePreviousCheckpointAsLatestAndIntact() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        store.save(state(10), weights(10));
        IOException e = assertThrows(IOException.class, () -> store.save(state(20), dir -> {
            Files.writeString(dir.resolve("model.safetensors"), "half of the wei");
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains("step-20"), e.getMessage());
        assertTrue(e.getMessage().contains(output.resolve("checkpoints").toAbsolutePath().toString()),
                "names the path: " + e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());

        assertEquals(List.of("latest", "step-10"), entries(), "no partial folder left behind");
        assertEquals("step-10", latestPointer());
        Checkpoint latest = store.latest().orElseThrow();
        assertEquals(10, latest.step());
        store.open(10); // every checksum still matches
        assertEquals("weights of step 10", Files.readString(latest.file("model.safetensors")));
    }

    @Test
    void aWriterThatThrowsAnUncheckedExceptionAlsoLeavesNothingBehind() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        store.save(state(10), weights(10));
        assertThrows(IllegalStateException.class, () -> store.save(state(20), dir -> {
            Files.writeString(dir.resolve("a"), "x");
            throw new IllegalStateException("tensor was closed");
        }));
        assertEquals(List.of("latest", "step-10"), entries());
    }

    @Test
    void leftoversOfACrashedWriteAreRemovedOnOpenAndNeverResumedFrom() throws IOException {
        CheckpointStore.open(output).save(state(10), weights(10));
        // a process killed mid-save leaves its temporary folder (even one that got as far as a manifest)
        Path crashed = output.resolve("checkpoints/.tmp-step-20-0b7e");
        Files.createDirectories(crashed);
        Files.writeString(crashed.resolve("model.safetensors"), "partial");
        Files.writeString(output.resolve("checkpoints/.tmp-latest-77"), "step-20");

        CheckpointStore store = CheckpointStore.open(output);
        assertEquals(List.of("latest", "step-10"), entries());
        assertEquals(10, store.latest().orElseThrow().step());
    }

    @Test
    void resumeSelectionIgnoresIncompleteFolders() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        store.save(state(10), weights(10));
        store.save(state(20), weights(20));
        // step-30: copied by hand, no manifest
        Path noManifest = output.resolve("checkpoints/step-30");
        Files.createDirectories(noManifest);
        Files.writeString(noManifest.resolve("state.json"), state(30).toJson());
        // step-40: complete once, then a file lost bytes
        store.save(state(40), weights(40));
        try (RandomAccessFile raf = new RandomAccessFile(
                output.resolve("checkpoints/step-40/model.safetensors").toFile(), "rw")) {
            raf.setLength(5);
        }
        // step-50: a manifest that is not JSON
        store.save(state(50), weights(50));
        Files.writeString(output.resolve("checkpoints/step-50/COMPLETE"), "{\"format\": 1, \"st");

        assertEquals(List.of(10L, 20L), store.listComplete().stream().map(Checkpoint::step).toList());
        assertEquals(20, store.latest().orElseThrow().step());
        assertThrows(IOException.class, () -> store.open(40));
        // reopening repairs the pointer, which still named step-50
        assertEquals("step-50", latestPointer());
        CheckpointStore.open(output);
        assertEquals("step-20", latestPointer());
    }

    @Test
    void openVerifiesChecksumsAndNamesTheCorruptFile() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        store.save(state(10), weights(10));
        Path model = output.resolve("checkpoints/step-10/model.safetensors");
        Files.writeString(model, "weights of step 99"); // same size, other bytes
        assertEquals(10, store.latest().orElseThrow().step(), "sizes still match");
        IOException e = assertThrows(IOException.class, () -> store.open(10));
        assertTrue(e.getMessage().contains(model.toString()) && e.getMessage().contains("corrupt"),
                e.getMessage());
    }

    @Test
    void retentionKeepsTheLastNAndTheBest() throws IOException {
        CheckpointStore store = CheckpointStore.builder(output).optKeepLast(2)
                .optBestMetric("accuracy", MetricMode.MAX).build();
        double[] accuracy = {0.50, 0.80, 0.60, 0.70, 0.65};
        for (int i = 0; i < accuracy.length; i++) {
            long step = 10L * (i + 1);
            store.save(state(step), weights(step));
            store.markBest(step, accuracy[i]);
        }
        assertEquals(List.of(20L, 40L, 50L), store.listComplete().stream().map(Checkpoint::step).toList());
        assertEquals(20, store.best().orElseThrow().step());
        assertEquals(0.80, store.bestValue().getAsDouble());
        assertEquals(50, store.latest().orElseThrow().step());
        assertTrue(entries().containsAll(List.of("best", "latest")));
        assertFalse(entries().stream().anyMatch(n -> n.startsWith(".tmp-")));

        // a new best replaces the old one, which retention then deletes
        store.save(state(60), weights(60));
        assertTrue(store.markBest(60, 0.9));
        assertEquals(List.of(50L, 60L), store.listComplete().stream().map(Checkpoint::step).toList());
    }

    @Test
    void bestSurvivesReopeningAndFollowsTheMode() throws IOException {
        CheckpointStore store = CheckpointStore.builder(output).optBestMetric("eval_loss", MetricMode.MIN).build();
        store.save(state(10), weights(10));
        assertTrue(store.markBest(10, 0.5));
        store.save(state(20), weights(20));
        assertFalse(store.markBest(20, 0.6));
        assertFalse(store.markBest(20, 0.5), "a tie does not replace the best");
        assertFalse(store.markBest(20, Double.NaN));

        CheckpointStore reopened = CheckpointStore.builder(output).optBestMetric("eval_loss", MetricMode.MIN).build();
        assertEquals(10, reopened.best().orElseThrow().step());
        assertTrue(reopened.markBest(20, 0.4));
        assertEquals(20, reopened.best().orElseThrow().step());

        // a store ranking by another metric does not trust that record
        CheckpointStore other = CheckpointStore.builder(output).optBestMetric("accuracy", MetricMode.MAX).build();
        assertTrue(other.best().isEmpty());
    }

    @Test
    void markBestNeedsAMetricAndAnExistingCheckpoint() throws IOException {
        CheckpointStore plain = CheckpointStore.open(output);
        plain.save(state(10), weights(10));
        assertThrows(IllegalStateException.class, () -> plain.markBest(10, 1.0));
        CheckpointStore ranked = CheckpointStore.builder(output).optBestMetric("accuracy", MetricMode.MAX).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ranked.markBest(30, 1.0));
        assertTrue(e.getMessage().contains("step-30"), e.getMessage());
    }

    @Test
    void withoutAKeepLimitEveryCheckpointStays() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        for (long step = 1; step <= 5; step++) {
            store.save(state(step), weights(step));
        }
        assertEquals(5, store.listComplete().size());
    }

    @Test
    void refusesToSaveBeforeALaterCompleteCheckpoint() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        store.save(state(20), weights(20));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.save(state(10), weights(10)));
        assertTrue(e.getMessage().contains("step-20"), e.getMessage());
    }

    @Test
    void savingTheSameStepAgainReplacesIt() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        store.save(state(20), weights(20));
        store.save(state(20), dir -> Files.writeString(dir.resolve("model.safetensors"), "second"));
        Checkpoint c = store.open(20);
        assertEquals("second", Files.readString(c.file("model.safetensors")));
        assertEquals(List.of("latest", "step-20"), entries());
    }

    @Test
    void theWriterMayNotWriteTheStoresOwnFiles() throws IOException {
        CheckpointStore store = CheckpointStore.open(output);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.save(state(1), dir -> Files.writeString(dir.resolve("state.json"), "{}")));
        assertTrue(e.getMessage().contains("state.json"), e.getMessage());
        assertTrue(store.latest().isEmpty());
        assertEquals(List.of(), entries());
    }

    @Test
    void rejectsBadSettingsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointStore.builder(output).optKeepLast(0).build());
        assertTrue(e.getMessage().startsWith("keepLast"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointStore.builder(output).optBestMetric("acc", null).build());
    }

    @Test
    void anEmptyStoreHasNoLatestAndNoBest() throws IOException {
        CheckpointStore store = CheckpointStore.builder(output).optBestMetric("acc", MetricMode.MAX).build();
        assertTrue(store.latest().isEmpty());
        assertTrue(store.best().isEmpty());
        assertTrue(store.bestValue().isEmpty());
        assertFalse(Files.exists(output.resolve("checkpoints/latest")));
    }
}
