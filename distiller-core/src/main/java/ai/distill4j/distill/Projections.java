package ai.distill4j.distill;

import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.Projection;
import ai.distill4j.distill.internal.Seeds;
import ai.distill4j.distill.optim.ParameterGroup;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creates the projection layers of a list of intermediate matches and names their parameters. */
final class Projections {

    private Projections() {}

    /** One layer per match ({@code null} where a match has no {@code proj}), seeded from the run seed. */
    static List<ProjectionLayer> create(List<IntermediateMatch> matches, NDManager manager, long seed) {
        List<ProjectionLayer> out = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            Projection p = matches.get(i).proj().orElse(null);
            out.add(p == null ? null : new ProjectionLayer(p, manager, Seeds.mix(seed, 1_000_003L + i)));
        }
        return out;
    }

    /** The parameters as optimizer groups, named {@code proj.<match index>.weight/bias}. */
    static List<Map.Entry<Map<String, Parameter>, ParameterGroup>> groups(List<ProjectionLayer> layers) {
        List<Map.Entry<Map<String, Parameter>, ParameterGroup>> groups = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            ProjectionLayer layer = layers.get(i);
            if (layer != null) {
                Map<String, Parameter> named = new LinkedHashMap<>();
                int index = i;
                layer.parameters().forEach((k, v) -> named.put("proj." + index + "." + k, v));
                groups.add(Map.entry(named,
                        new ParameterGroup(layer.spec().learningRate(), layer.spec().weightDecay())));
            }
        }
        return groups;
    }
}
