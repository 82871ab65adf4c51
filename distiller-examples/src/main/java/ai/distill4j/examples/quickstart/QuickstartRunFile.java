package ai.distill4j.examples.quickstart;

import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.OptimizerConfig;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The quickstart's distillation stage as a run file (golden/RUN-FILES.md), for {@code ./distill4j distill --run}: the
 * fine-tuned teacher folder, a student copied from its layers, the TSV subsets the quickstart trained and evaluated
 * on, and the very configs of {@link QuickstartRecipe}. Paths are relative to the run file.
 *
 * <p>The quickstart writes one next to its outputs ({@code DIR/run.json}, with {@link #DEFAULT_PREFIX} = "");
 * {@code examples/quickstart-run.json} in the repository is the same file for the default output folder, seen from
 * {@code examples/}.
 *
 * @since 0.1.0
 */
public final class QuickstartRunFile {

    /** The prefix of the paths in a run file that sits in the quickstart's output folder. */
    public static final String DEFAULT_PREFIX = "";

    /** The output folder of the run-file route, relative to the quickstart's output folder. */
    public static final String OUTPUT = "runs/distill-from-run-file";

    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private QuickstartRunFile() {}

    /**
     * Builds the run file.
     *
     * @param recipe the quickstart's recipe
     * @param prefix the path from the run file's folder to the quickstart's output folder, ending in {@code /}, or
     *     "" when the run file sits in it
     * @return the run file as a JSON object
     */
    public static JsonObject json(QuickstartRecipe recipe, String prefix) {
        QuickstartSettings s = recipe.settings();
        JsonObject o = new JsonObject();
        o.addProperty("distiller", "GeneralDistiller");
        o.addProperty("teacher", prefix + QuickstartLayout.TEACHER);
        JsonObject student = new JsonObject();
        JsonObject fromTeacher = new JsonObject();
        JsonArray layers = new JsonArray();
        for (int l : s.studentLayers()) {
            layers.add(l);
        }
        fromTeacher.add("layers", layers);
        student.add("from_teacher", fromTeacher);
        o.add("student", student);
        o.add("train_data", tsv(prefix + QuickstartLayout.TRAIN_TSV, prefix, s));
        o.add("eval_data", tsv(prefix + QuickstartLayout.DEV_TSV, prefix, s));
        o.addProperty("batch_size", s.batchSize());
        o.addProperty("shuffle", true);
        o.addProperty("seed", s.seed());
        o.addProperty("num_epochs", s.studentEpochs());
        o.addProperty("max_grad_norm", s.maxGradNorm());
        o.addProperty("dropout", true);
        OptimizerConfig opt = recipe.studentOptimizer();
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("name", opt.name());
        optimizer.addProperty("lr", opt.lr());
        optimizer.addProperty("weight_decay", opt.weightDecay());
        optimizer.addProperty("warmup_proportion", s.warmupProportion());
        optimizer.addProperty("schedule", opt.scheduleName());
        o.add("optimizer", optimizer);
        JsonObject adaptor = new JsonObject();
        adaptor.addProperty("attention", "scores");
        o.add("adaptor", adaptor);
        o.addProperty("hard_label_loss", "ce");
        TrainingConfig tc = recipe.training(Path.of(OUTPUT));
        JsonObject training = new JsonObject();
        training.addProperty("output_dir", prefix + OUTPUT);
        training.addProperty("log_dir", prefix + OUTPUT + "/logs");
        training.addProperty("ckpt_frequency", tc.ckptFrequency());
        training.addProperty("ckpt_epoch_frequency", tc.ckptEpochFrequency());
        training.addProperty("keep_last_checkpoints", tc.keepLastCheckpoints());
        training.addProperty("device", tc.device());
        o.add("training_config", training);
        DistillationConfig dc = recipe.distillationConfig();
        JsonObject distillation = new JsonObject();
        distillation.addProperty("temperature", dc.temperature());
        distillation.addProperty("kd_loss_type", dc.kdLossType());
        distillation.addProperty("kd_loss_weight", dc.kdLossWeight());
        distillation.addProperty("hard_label_weight", dc.hardLabelWeight());
        distillation.addProperty("is_caching_logits", dc.isCachingLogits());
        JsonArray matches = new JsonArray();
        for (IntermediateMatch m : dc.intermediateMatches()) {
            JsonObject j = m.toJsonObject();
            if (j.has("args") && j.getAsJsonObject("args").size() == 0) {
                j.remove("args");
            }
            if (j.has("proj") && j.get("proj").isJsonNull()) {
                j.remove("proj");
            }
            matches.add(j);
        }
        distillation.add("intermediate_matches", matches);
        o.add("distillation_config", distillation);
        JsonObject evaluation = new JsonObject();
        evaluation.addProperty("metric", "accuracy");
        evaluation.addProperty("mode", "max");
        o.add("evaluation", evaluation);
        return o;
    }

    private static JsonObject tsv(String path, String prefix, QuickstartSettings s) {
        JsonObject d = new JsonObject();
        d.addProperty("path", path);
        d.addProperty("format", "tsv");
        d.addProperty("text_column", "text");
        d.addProperty("label_column", "label");
        d.addProperty("tokenizer", prefix + QuickstartLayout.TEACHER + "/tokenizer.json");
        d.addProperty("max_length", s.maxLength());
        return d;
    }

    /**
     * Formats a run file as pretty-printed JSON with a final newline.
     *
     * @param json the run file
     * @return the text
     */
    public static String format(JsonObject json) {
        StringBuilder sb = new StringBuilder();
        append(sb, json, "");
        return sb.append('\n').toString();
    }

    /** Pretty-prints with two-space indents; arrays of plain values stay on one line. */
    private static void append(StringBuilder sb, JsonElement e, String indent) {
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            if (o.size() == 0) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<String, JsonElement> x : o.entrySet()) {
                sb.append(indent).append("  ").append(GSON.toJson(x.getKey())).append(": ");
                append(sb, x.getValue(), indent + "  ");
                sb.append(++i < o.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            boolean flat = true;
            for (JsonElement x : a) {
                flat &= x.isJsonPrimitive() || x.isJsonNull();
            }
            if (flat) {
                sb.append(GSON.toJson(a).replace(",", ", "));
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < a.size(); i++) {
                sb.append(indent).append("  ");
                append(sb, a.get(i), indent + "  ");
                sb.append(i + 1 < a.size() ? ",\n" : "\n");
            }
            sb.append(indent).append(']');
        } else {
            sb.append(GSON.toJson(e));
        }
    }

    /**
     * Writes a run file.
     *
     * @param json the run file
     * @param file where to write it (replaced)
     * @throws IOException when writing fails
     */
    public static void write(JsonObject json, Path file) throws IOException {
        Files.writeString(file, format(json), StandardCharsets.UTF_8);
    }
}
