package ai.distill4j.examples.quickstart;

import ai.distill4j.distill.config.TrainingConfig;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        o.add("optimizer", recipe.studentOptimizer().toJsonObject());
        JsonObject adaptor = new JsonObject();
        adaptor.addProperty("attention", "scores");
        o.add("adaptor", adaptor);
        o.addProperty("hard_label_loss", "ce");
        TrainingConfig tc = recipe.training(Path.of(OUTPUT));
        JsonObject training = tc.toJsonObject();
        training.addProperty("output_dir", prefix + OUTPUT);
        training.addProperty("log_dir", prefix + OUTPUT + "/logs");
        o.add("training_config", training);
        o.add("distillation_config", recipe.distillationConfig().toJsonObject());
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
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n";
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
