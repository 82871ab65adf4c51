package ai.distill4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EnglishFilterTest {

    @Test
    void shareCountsFunctionWordsAmongAllWords() {
        // words: the, report, of, the, committee, and, its, annex -> 4 function words (the, of, the, and) of 8
        assertEquals(4.0 / 8, EnglishFilter.functionWordShare("The report of the committee, and its annex."), 1e-12);
        assertEquals(0.0, EnglishFilter.functionWordShare("1999 - 2004 ..."));
    }

    @Test
    void anEnglishParagraphLooksEnglish() {
        assertTrue(
                EnglishFilter.looksEnglish(
                        "We believe that the Commission should present new proposals which will combat"
                                + " discrimination in all areas, and that Parliament will support them."));
    }

    @Test
    void otherEuroparlLanguagesDoNot() {
        assertFalse(
                EnglishFilter.looksEnglish(
                        "Ich glaube, daß wir bei der Abstimmung über den Haushalt vor allem darauf hinwirken"
                                + " können, daß die eingereichten Änderungsanträge angenommen werden."));
        assertFalse(
                EnglishFilter.looksEnglish(
                        "Maar ik denk niet dat het aanstellen van een Europese ombudsman voor de consument ons"
                                + " veel zou helpen, want het is in de eerste plaats een zaak van de lidstaten."));
        assertFalse(
                EnglishFilter.looksEnglish(
                        "Jeg erklærer Europa-Parlamentets session for afbrudt, og jeg takker alle for det"
                                + " gode samarbejde i denne periode."));
    }
}
