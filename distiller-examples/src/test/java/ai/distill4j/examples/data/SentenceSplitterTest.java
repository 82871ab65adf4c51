package ai.distill4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void splitsAfterTerminalPunctuationBeforeACapital() {
        assertEquals(
                List.of("The vote is closed.", "Is that clear?", "Yes!"),
                SentenceSplitter.split("The vote is closed. Is that clear? Yes!"));
    }

    @Test
    void keepsTitlesAndInitialsInsideTheSentence() {
        assertEquals(
                List.of("Mr. Smith and J. Doe agreed.", "Hr. Jensen did not."),
                SentenceSplitter.split("Mr. Smith and J. Doe agreed. Hr. Jensen did not."));
    }

    @Test
    void doesNotSplitInsideNumbersOrBeforeLowerCase() {
        assertEquals(
                List.of("It costs 1.5 million, i.e. a lot."),
                SentenceSplitter.split("It costs 1.5 million, i.e. a lot."));
    }

    @Test
    void closingQuotesStayWithTheirSentence() {
        assertEquals(
                List.of("He said \"no.\"", "(The sitting was closed.)"),
                SentenceSplitter.split("He said \"no.\" (The sitting was closed.)"));
    }

    @Test
    void fragmentsDoNotLookComplete() {
        assertTrue(SentenceSplitter.looksComplete("The debate is closed."));
        assertTrue(SentenceSplitter.looksComplete("2004 was a good year!"));
        assertTrue(SentenceSplitter.looksComplete("Is it \"settled?\""));
        assertFalse(SentenceSplitter.looksComplete("and then the vote."));
        assertFalse(SentenceSplitter.looksComplete("The vote will take"));
        assertFalse(SentenceSplitter.looksComplete(""));
    }
}
