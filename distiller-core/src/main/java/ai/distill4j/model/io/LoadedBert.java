package ai.distill4j.model.io;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertModel;
import java.nio.file.Path;
import java.util.List;

/**
 * A model loaded from a HuggingFace folder, with what the load had to do, as HuggingFace reports it.
 *
 * @param model the initialised model (parameters in the manager given to the loader)
 * @param config the config read from {@code config.json}
 * @param tokenizerJson the folder's {@code tokenizer.json}, or null when there is none
 * @param initialisedHeadTensors head tensors ({@code pooler.*}, {@code classifier.*}) the checkpoint lacked, which
 *     were initialised N(0, initializer_range) (biases 0); named as they would be saved
 * @param unusedTensors checkpoint tensors the model does not use (e.g. {@code cls.*} pre-training heads)
 * @since 0.1.0
 */
public record LoadedBert(
        BertModel model,
        BertConfig config,
        Path tokenizerJson,
        List<String> initialisedHeadTensors,
        List<String> unusedTensors) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param model the model
     * @param config the config
     * @param tokenizerJson the tokenizer file or null
     * @param initialisedHeadTensors freshly initialised head tensors
     * @param unusedTensors ignored checkpoint tensors
     */
    public LoadedBert {
        initialisedHeadTensors = List.copyOf(initialisedHeadTensors);
        unusedTensors = List.copyOf(unusedTensors);
    }
}
