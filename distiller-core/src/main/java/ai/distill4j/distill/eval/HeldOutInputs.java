package ai.distill4j.distill.eval;

import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.text.TokenizedBatch;
import java.util.List;
import java.util.Objects;

/**
 * Held-out inputs an evaluator embeds: raw texts (each encoder tokenizes them with its own tokenizer, so teacher
 * and student may use different vocabularies) or one tokenized batch shared by both.
 */
final class HeldOutInputs {

    private final List<String> texts;
    private final TokenizedBatch tokens;

    private HeldOutInputs(List<String> texts, TokenizedBatch tokens) {
        this.texts = texts;
        this.tokens = tokens;
    }

    static HeldOutInputs ofTexts(List<String> texts, String what) {
        Objects.requireNonNull(texts, what);
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException(what + ": text " + i + " is null");
            }
        }
        return new HeldOutInputs(List.copyOf(texts), null);
    }

    static HeldOutInputs ofTokens(TokenizedBatch tokens, String what) {
        return new HeldOutInputs(null, Objects.requireNonNull(tokens, what));
    }

    int size() {
        return texts != null ? texts.size() : tokens.size();
    }

    float[][] embed(SentenceEncoder encoder) {
        return texts != null ? encoder.encode(texts) : encoder.encode(tokens);
    }
}
