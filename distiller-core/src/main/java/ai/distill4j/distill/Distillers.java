package ai.distill4j.distill;

import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.model.bert.BertModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Shortcuts for the common case: distilling the project's BERT models with the ready BERT adaptor. The adaptors
 * return logits, labels, the attention mask as {@code inputs_mask}, hidden states {@code [embeddings, layer 1, ...]},
 * attention maps as pre-softmax scores, and, for the student, the cross-entropy against the batch's labels as the
 * hard-label loss (weighted by {@code hard_label_weight}, 0 by default).
 *
 * <pre>{@code
 * try (GeneralDistiller<BertBatch> d = Distillers.general(teacher, student, trainingConfig, distillationConfig)) {
 *     TrainResult r = d.train(TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(1e-4).build())
 *             .optNumEpochs(3).build(), DataSource.of(batches));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Distillers {

    private Distillers() {}

    /**
     * Pairs a BERT model with the ready adaptor.
     *
     * @param model the model
     * @param attention scores or probabilities for the {@code attention} feature
     * @param hardLabelLoss whether the adaptor returns the cross-entropy against the labels
     * @return the adapted model
     */
    public static AdaptedModel<BertBatch> bert(BertModel model, BertAdaptor.Attention attention,
            boolean hardLabelLoss) {
        return AdaptedModel.of(BertDistillModel.of(model), BertAdaptor.forModel(model, attention, hardLabelLoss));
    }

    /**
     * A {@link GeneralDistiller} for BERT teacher and student (intermediate matches, projections).
     *
     * @param teacher the teacher
     * @param student the student
     * @param trainingConfig the training config
     * @param distillationConfig the distillation config
     * @return the distiller (close it when done)
     */
    public static GeneralDistiller<BertBatch> general(BertModel teacher, BertModel student,
            TrainingConfig trainingConfig, DistillationConfig distillationConfig) {
        return new GeneralDistiller<>(trainingConfig, distillationConfig,
                bert(teacher, BertAdaptor.Attention.SCORES, false), bert(student, BertAdaptor.Attention.SCORES, true));
    }

    /**
     * A {@link BasicDistiller} for BERT teacher and student (logits and hard labels only).
     *
     * @param teacher the teacher
     * @param student the student
     * @param trainingConfig the training config
     * @param distillationConfig the distillation config
     * @return the distiller (close it when done)
     */
    public static BasicDistiller<BertBatch> basic(BertModel teacher, BertModel student,
            TrainingConfig trainingConfig, DistillationConfig distillationConfig) {
        return new BasicDistiller<>(trainingConfig, distillationConfig,
                bert(teacher, BertAdaptor.Attention.SCORES, false), bert(student, BertAdaptor.Attention.SCORES, true));
    }

    /**
     * A {@link MultiTeacherDistiller} for BERT teachers and student, averaging the teachers' logits equally.
     *
     * @param teachers the teachers
     * @param student the student
     * @param trainingConfig the training config
     * @param distillationConfig the distillation config
     * @return the distiller (close it when done)
     */
    public static MultiTeacherDistiller<BertBatch> multiTeacher(List<BertModel> teachers, BertModel student,
            TrainingConfig trainingConfig, DistillationConfig distillationConfig) {
        List<AdaptedModel<BertBatch>> ts = new ArrayList<>();
        for (BertModel t : teachers) {
            ts.add(bert(t, BertAdaptor.Attention.SCORES, false));
        }
        return new MultiTeacherDistiller<>(trainingConfig, distillationConfig, ts, null,
                bert(student, BertAdaptor.Attention.SCORES, true));
    }

    /**
     * A {@link BasicTrainer} for a BERT classifier (cross-entropy against the labels), e.g. to train a teacher.
     *
     * @param model the model to train
     * @param trainingConfig the training config
     * @return the trainer (close it when done)
     */
    public static BasicTrainer<BertBatch> trainer(BertModel model, TrainingConfig trainingConfig) {
        return new BasicTrainer<>(trainingConfig, bert(model, BertAdaptor.Attention.SCORES, true));
    }
}
