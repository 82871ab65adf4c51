package ai.distill4j.model.onnx;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import java.util.List;

/**
 * The result of an ONNX import.
 *
 * @param model the initialised model, parameters in the manager given to the importer
 * @param config its config
 * @param head its head
 * @param unusedInitializers graph initializers that are not BERT weights (e.g. {@code embeddings.position_ids})
 * @param droppedWeights recognised weights the chosen head has no place for (e.g. a pooler without classifier)
 * @since 0.1.0
 */
public record ImportedBert(
        BertModel model,
        BertConfig config,
        BertHead head,
        List<String> unusedInitializers,
        List<String> droppedWeights) {

    /**
     * Copies the lists.
     *
     * @param model the initialised model, parameters in the manager given to the importer
     * @param config its config
     * @param head its head
     * @param unusedInitializers graph initializers that are not BERT weights (e.g. {@code embeddings.position_ids})
     * @param droppedWeights recognised weights the chosen head has no place for (e.g. a pooler without classifier)
     */
    public ImportedBert {
        unusedInitializers = List.copyOf(unusedInitializers);
        droppedWeights = List.copyOf(droppedWeights);
    }
}
