package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps what the losses read from a teacher's adapted output and lets the rest go: the teacher runs in a manager of
 * its own, and only its logits, logits masks, labels, losses, inputs mask and the feature entries the intermediate
 * matches use are moved into the step's manager before that manager is closed. The teacher's other outputs (every
 * hidden state, attention map and pooled vector no match reads) are then freed before the student's forward pass
 * instead of at the end of the step. Arrays that belong to any other manager are left where they are.
 *
 * @since 0.1.0
 */
final class TeacherOutputs {

    private TeacherOutputs() {}

    /**
     * Moves the used parts of an output from the teacher's manager into the step's manager.
     *
     * @param output the teacher's adapted output
     * @param usedFeatures feature name to the indices the matches use (features absent here are dropped)
     * @param teacherManager the manager the teacher ran in (closed by the caller afterwards)
     * @param step the step's manager
     * @return the output holding only the kept arrays ({@code null} entries for unused feature indices)
     */
    static AdaptedOutput keep(AdaptedOutput output, Map<String, Set<Integer>> usedFeatures, NDManager teacherManager,
            NDManager step) {
        AdaptedOutput.Builder b = AdaptedOutput.builder();
        output.logits().forEach(a -> b.addLogits(move(a, teacherManager, step)));
        output.logitsMask().forEach(a -> b.addLogitsMask(move(a, teacherManager, step)));
        output.labels().forEach(a -> b.addLabels(move(a, teacherManager, step)));
        output.losses().forEach(a -> b.addLoss(move(a, teacherManager, step)));
        if (output.inputsMask() != null) {
            b.inputsMask(move(output.inputsMask(), teacherManager, step));
        }
        for (Map.Entry<String, List<NDArray>> e : output.features().entrySet()) {
            Set<Integer> used = usedFeatures.getOrDefault(e.getKey(), Set.of());
            if (used.isEmpty()) {
                continue;
            }
            List<NDArray> values = new ArrayList<>(e.getValue().size());
            for (int i = 0; i < e.getValue().size(); i++) {
                NDArray a = e.getValue().get(i);
                values.add(a == null || !used.contains(i) ? null : move(a, teacherManager, step));
            }
            b.feature(e.getKey(), values);
        }
        return b.build();
    }

    private static NDArray move(NDArray a, NDManager from, NDManager to) {
        if (a != null && a.getManager() == from) {
            a.attach(to);
        }
        return a;
    }
}
