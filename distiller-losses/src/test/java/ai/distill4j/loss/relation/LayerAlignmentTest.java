package ai.distill4j.loss.relation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CKD layer alignments, counted over hidden states with the embedding output at index 0. */
class LayerAlignmentTest {

    @Test
    void embSkipUsesGcdStridesIncludingTheEmbeddings() {
        assertEquals(new LayerAlignment(List.of(0, 2, 4, 6), List.of(0, 1, 2, 3)), LayerAlignment.embSkip(6, 3));
        assertEquals(
                new LayerAlignment(List.of(0, 2, 4, 6, 8, 10, 12), List.of(0, 1, 2, 3, 4, 5, 6)),
                LayerAlignment.embSkip(12, 6));
        assertEquals(new LayerAlignment(List.of(0, 3, 6, 9, 12), List.of(0, 1, 2, 3, 4)), LayerAlignment.embSkip(12, 4));
        assertEquals(new LayerAlignment(List.of(0, 3, 6, 9, 12), List.of(0, 2, 4, 6, 8)), LayerAlignment.embSkip(12, 8));
        assertEquals(new LayerAlignment(List.of(0, 12), List.of(0, 5)), LayerAlignment.embSkip(12, 5));
        assertEquals(4, LayerAlignment.of("emb+skip", 6, 3).size());
    }

    @Test
    void namedStrategiesPickTheOfficialStates() {
        assertEquals(new LayerAlignment(List.of(0), List.of(0)), LayerAlignment.of("emb", 12, 4));
        assertEquals(new LayerAlignment(List.of(12), List.of(4)), LayerAlignment.of("final", 12, 4));
        assertEquals(new LayerAlignment(List.of(0, 12), List.of(0, 4)), LayerAlignment.of("emb+final", 12, 4));
        assertEquals(new LayerAlignment(List.of(0, 6, 12), List.of(0, 1, 3)), LayerAlignment.of("triple", 12, 3));
    }

    @Test
    void badDepthsStrategiesAndListsAreRejected() {
        IllegalArgumentException depth = assertThrows(IllegalArgumentException.class, () -> LayerAlignment.embSkip(0, 3));
        assertTrue(depth.getMessage().contains("got teacher 0 and student 3"), depth.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> LayerAlignment.of("skip", 12, 6));
        assertTrue(name.getMessage().contains("unknown layer alignment 'skip'"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LayerAlignment(List.of(0, 1), List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new LayerAlignment(List.of(-1), List.of(0)));
    }
}
