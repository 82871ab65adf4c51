package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps teachers' adapted outputs per batch ({@code is_caching_logits}): the teacher runs once per distinct batch,
 * and later epochs read the cache. Batches are recognised by identity, so the data source must hand out the same
 * batch objects every epoch (in-memory sources do). Only the logits, logits masks and the feature entries that the
 * intermediate matches use are kept, in a manager of the cache's own; on every read they are copied into the step's
 * manager, so no step ever attaches arrays to the cache.
 *
 * @since 0.1.0
 */
final class TeacherCache implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, Set<Integer>> usedFeatures;
    private final Map<Object, List<AdaptedOutput>> entries = new IdentityHashMap<>();

    TeacherCache(NDManager parent, Map<String, Set<Integer>> usedFeatures) {
        this.manager = parent.newSubManager();
        this.manager.setName("teacher-cache");
        this.usedFeatures = usedFeatures;
    }

    int size() {
        return entries.size();
    }

    List<AdaptedOutput> get(Object batch, NDManager step) {
        List<AdaptedOutput> cached = entries.get(batch);
        if (cached == null) {
            return null;
        }
        List<AdaptedOutput> out = new ArrayList<>(cached.size());
        for (AdaptedOutput o : cached) {
            out.add(copy(o, step, false));
        }
        return out;
    }

    void put(Object batch, List<AdaptedOutput> outputs) {
        List<AdaptedOutput> kept = new ArrayList<>(outputs.size());
        for (AdaptedOutput o : outputs) {
            kept.add(copy(o, manager, true));
        }
        entries.put(batch, kept);
    }

    private AdaptedOutput copy(AdaptedOutput o, NDManager target, boolean select) {
        AdaptedOutput.Builder b = AdaptedOutput.builder();
        o.logits().forEach(a -> b.addLogits(dup(a, target)));
        o.logitsMask().forEach(a -> b.addLogitsMask(dup(a, target)));
        for (Map.Entry<String, List<NDArray>> e : o.features().entrySet()) {
            Set<Integer> used = usedFeatures.getOrDefault(e.getKey(), Set.of());
            if (select && used.isEmpty()) {
                continue;
            }
            List<NDArray> values = new ArrayList<>(e.getValue().size());
            for (int i = 0; i < e.getValue().size(); i++) {
                NDArray a = e.getValue().get(i);
                values.add(a == null || select && !used.contains(i) ? null : dup(a, target));
            }
            b.feature(e.getKey(), values);
        }
        return b.build();
    }

    private static NDArray dup(NDArray a, NDManager target) {
        NDArray d = a.duplicate();
        d.attach(target);
        return d;
    }

    @Override
    public void close() {
        entries.clear();
        manager.close();
    }
}
