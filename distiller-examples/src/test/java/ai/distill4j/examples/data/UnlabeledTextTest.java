package ai.distill4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UnlabeledTextTest {

    private static List<LabeledEmail> emails;

    @BeforeAll
    static void readDevSplit() throws IOException {
        emails = SpamDataset.read(SpamDataset.locate(), SpamDataset.Split.DEV).emails();
    }

    private static UnlabeledText mix(long seed) {
        return UnlabeledText.builder()
                .addEmails(emails)
                .optEuroparl(EuroparlCorpus.builder().optLimit(300).build())
                .optSeed(seed)
                .build();
    }

    @Test
    void theMixHoldsEveryEmailTextAndEveryEuroparlItem() throws IOException {
        List<String> texts = mix(1).read();
        assertEquals(590, mix(1).emailCount());
        assertEquals(590 + 300, texts.size());
        List<String> expected = new ArrayList<>();
        emails.forEach(e -> expected.add(e.text()));
        expected.addAll(EuroparlCorpus.builder().optLimit(300).build().read());
        List<String> sortedTexts = new ArrayList<>(texts);
        Collections.sort(expected);
        Collections.sort(sortedTexts);
        assertEquals(expected, sortedTexts);
    }

    @Test
    void theSameSeedGivesTheSameOrderAndAnotherSeedAnother() throws IOException {
        assertEquals(mix(7).read(), mix(7).read());
        assertNotEquals(mix(7).read(), mix(8).read());
    }

    @Test
    void theSourcesAreInterleaved() throws IOException {
        List<String> texts = mix(3).read();
        List<String> emailTexts = emails.stream().map(LabeledEmail::text).toList();
        // 590 emails among 890 items: the first 100 items hold both kinds in roughly that proportion
        long emailsInFirstHundred = texts.subList(0, 100).stream().filter(emailTexts::contains).count();
        assertTrue(
                emailsInFirstHundred > 50 && emailsInFirstHundred < 85,
                "emails in first 100: " + emailsInFirstHundred);
    }

    @Test
    void emptyEmailTextsAreSkipped() {
        UnlabeledText mix =
                UnlabeledText.builder()
                        .addEmails(List.of(new LabeledEmail(1, "", ""), new LabeledEmail(0, "Hi", "")))
                        .build();
        assertEquals(1, mix.emailCount());
    }

    @Test
    void aMixWithoutSourcesIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> UnlabeledText.builder().build());
        assertTrue(e.getMessage().startsWith("sources must not be empty"), e.getMessage());
    }
}
