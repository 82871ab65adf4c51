package ai.distill4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.run.RunFile;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartRecipeTest {

    @TempDir
    Path tmp;

    private final QuickstartRecipe recipe = new QuickstartRecipe(QuickstartSettings.defaults());

    @Test
    void studentLayersOneThreeFiveAlignWithTeacherHiddenStatesTwoFourSix() {
        assertEquals(List.of(0, 2, 4, 6), recipe.teacherHiddenLayers());
        assertEquals(List.of(0, 1, 2, 3), recipe.studentHiddenLayers());
        QuickstartRecipe other = new QuickstartRecipe(
                QuickstartSettings.builder().optStudentLayers(0, 5).build());
        assertEquals(List.of(0, 1, 6), other.teacherHiddenLayers());
        assertEquals(List.of(0, 1, 2), other.studentHiddenLayers());
    }

    @Test
    void distillationUsesKdHardLabelsHiddenMatchesAndTheFourCkdRelations() {
        DistillationConfig c = recipe.distillationConfig();
        assertEquals(2, c.temperature());
        assertEquals("ce", c.kdLossType());
        assertEquals(1, c.kdLossWeight());
        assertEquals(1, c.hardLabelWeight());
        assertTrue(c.isCachingLogits());
        List<IntermediateMatch> m = c.intermediateMatches();
        assertEquals(8, m.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("hidden_mse", m.get(i).loss());
            assertEquals(List.of(List.of(0, 2, 4, 6).get(i)), m.get(i).layerT());
            assertEquals(List.of(i), m.get(i).layerS());
        }
        assertEquals(List.of("wr_dist", "wr_angle", "ltr_dist", "ltr_angle"),
                m.subList(4, 8).stream().map(IntermediateMatch::loss).toList());
        for (IntermediateMatch r : m.subList(4, 8)) {
            assertEquals(List.of(0, 2, 4, 6), r.layerT());
            assertEquals(List.of(0, 1, 2, 3), r.layerS());
            assertEquals(QuickstartRecipe.RELATION_WEIGHTS.get(r.loss()), r.weight());
        }
    }

    @Test
    void optimizersDecayLinearlyAfterWarmUp() {
        assertEquals("adamw", recipe.teacherOptimizer().name());
        assertEquals(1e-4, recipe.teacherOptimizer().lr());
        assertEquals("linear", recipe.studentOptimizer().scheduleName());
        assertEquals(6, recipe.studentOptimizer().warmupSteps(60));
    }

    @Test
    void runFileParsesToTheRecipesConfigs() throws Exception {
        Path file = tmp.resolve("run.json");
        QuickstartRunFile.write(QuickstartRunFile.json(recipe, ""), file);
        RunFile run = RunFile.read(file);
        assertEquals("GeneralDistiller", run.distiller());
        assertEquals(recipe.distillationConfig(), run.distillationConfig());
        assertEquals(tmp.resolve(QuickstartRunFile.OUTPUT).normalize(), run.outputDir());
        assertEquals(recipe.training(run.outputDir()), run.trainingConfig());
    }

    @Test
    void committedExampleRunFileIsTheDefaultQuickstartsDistillation() throws Exception {
        Path committed = repositoryRoot().resolve("examples/quickstart-run.json");
        JsonObject expected = QuickstartRunFile.json(recipe, "../runs/quickstart/");
        JsonObject actual = JsonParser.parseString(Files.readString(committed, StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals(expected, actual, "regenerate examples/quickstart-run.json from QuickstartRunFile.json(recipe, "
                + "\"../runs/quickstart/\") after changing the recipe");
        RunFile run = RunFile.read(committed);
        assertEquals(recipe.distillationConfig(), run.distillationConfig());
        assertEquals(repositoryRoot().resolve("runs/quickstart/runs/distill-from-run-file").normalize(),
                run.outputDir());
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/quickstart-run.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("examples/quickstart-run.json not found above " + Path.of("").toAbsolutePath());
    }
}
