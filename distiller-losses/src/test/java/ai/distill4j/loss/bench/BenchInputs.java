package ai.distill4j.loss.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs of one loss at KD-BENCH-1 shapes (batch 32, length 128, hidden 384 on both sides, 12 heads of 32, 4
 * aligned layers), float32, with the student's tensors requiring gradients and right padding from 128 real tokens
 * down to about 64.
 */
final class BenchInputs {

    static final int BATCH = 32;
    static final int LENGTH = 128;
    static final int HIDDEN = 384;
    static final int HEADS = 12;
    static final int LAYERS = 4;

    final List<NDArray> student = new ArrayList<>();
    final List<NDArray> teacher = new ArrayList<>();
    final NDArray mask;
    final MatchLoss loss;

    /**
     * Creates the inputs and the loss.
     *
     * @param manager the owner
     * @param spec a registry name with optional integer or text arguments ({@code minilmv2?relation_heads=12}), or
     *     {@code wr_angle_direct} for the official window-angle formulation
     * @param batch the batch size
     */
    BenchInputs(NDManager manager, String spec, int batch) {
        int q = spec.indexOf('?');
        String name = q < 0 ? spec : spec.substring(0, q);
        Map<String, Object> args = new LinkedHashMap<>();
        if (q >= 0) {
            for (String kv : spec.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                args.put(p[0], p[1].matches("-?\\d+") ? (Object) Integer.valueOf(p[1]) : p[1]);
            }
        }
        Shape shape = switch (name) {
            case "minilm_attention" -> new Shape(batch, HEADS, LENGTH, LENGTH);
            case "minilm_value", "minilmv2" -> new Shape(batch, HEADS, LENGTH, HIDDEN / HEADS);
            case "rkd_distance", "rkd_angle" -> new Shape(batch, HIDDEN);
            default -> new Shape(batch, LENGTH, HIDDEN);
        };
        int count = shape.dimension() == 3 ? LAYERS : 1;
        for (int k = 0; k < count; k++) {
            NDArray s = manager.randomNormal(shape);
            s.setRequiresGradient(true);
            student.add(s);
            teacher.add(manager.randomNormal(shape));
        }
        float[] m = new float[batch * LENGTH];
        for (int b = 0; b < batch; b++) {
            int real = LENGTH - (b * LENGTH / 2) / batch;
            for (int i = 0; i < real; i++) {
                m[b * LENGTH + i] = 1;
            }
        }
        mask = manager.create(m, new Shape(batch, LENGTH));
        loss = "wr_angle_direct".equals(name)
                ? new RelationLossBenchmark.DirectWindowAngle(21)
                : LossRegistry.global().match(name, new LossArgs(args));
    }

    /**
     * Copies the student's tensors into per-step non-leaf arrays (as a model's outputs would be); call inside a
     * gradient collector.
     *
     * @param step the per-step manager
     * @return the copies
     */
    List<NDArray> studentStep(NDManager step) {
        List<NDArray> out = new ArrayList<>();
        for (NDArray x : student) {
            NDArray view = x.mul(1f);
            view.attach(step);
            out.add(view);
        }
        return out;
    }
}
