package ai.distill4j.model.predict;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The class a sequence classifier gives one text, with the softmax probability of every class.
 *
 * @param labelId the index of the most probable class (the lowest index on a tie)
 * @param label the name of that class, from {@code config.json}'s {@code id2label}
 * @param probabilities the probability of each class, indexed by class id; they sum to 1
 * @param labels the class names, indexed by class id
 * @since 0.1.0
 */
public record Prediction(int labelId, String label, List<Double> probabilities, List<String> labels) {

    /**
     * Checks that the class id and the lists agree and makes the lists unmodifiable.
     *
     * @param labelId the predicted class
     * @param label its name
     * @param probabilities one probability per class
     * @param labels one name per class
     * @throws IllegalArgumentException when the sizes disagree or the id is out of range
     */
    public Prediction {
        Objects.requireNonNull(label, "label");
        probabilities = List.copyOf(probabilities);
        labels = List.copyOf(labels);
        if (probabilities.size() != labels.size()) {
            throw new IllegalArgumentException("probabilities has " + probabilities.size() + " entries but labels has "
                    + labels.size());
        }
        if (labelId < 0 || labelId >= labels.size()) {
            throw new IllegalArgumentException("labelId = " + labelId + " must be in [0, " + labels.size() + ")");
        }
    }

    /**
     * Returns the probability of one class.
     *
     * @param classId the class index
     * @return its probability
     */
    public double probability(int classId) {
        return probabilities.get(classId);
    }

    /**
     * Returns the probability of the predicted class.
     *
     * @return {@code probability(labelId())}
     */
    public double confidence() {
        return probabilities.get(labelId);
    }

    /**
     * Returns the probabilities keyed by class name, in class-id order.
     *
     * @return a new insertion-ordered map
     */
    public Map<String, Double> probabilitiesByLabel() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(labels.get(i), probabilities.get(i));
        }
        return m;
    }
}
