package ai.distill4j.loss;

import ai.distill4j.loss.feature.FeatureLosses;
import ai.distill4j.loss.logit.LogitLosses;
import ai.distill4j.loss.relation.RelationLosses;
import ai.distill4j.loss.schedule.Schedules;
import ai.distill4j.loss.sentence.SentenceLosses;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names every distillation loss and scheduler: KD losses ({@code ce}, {@code mse}, ...), intermediate-match losses
 * ({@code hidden_mse}, {@code wr_dist}, ...), temperature schedulers ({@code constant}, {@code flsw}, {@code cwsm})
 * and weight schedulers ({@code linear_decay}, {@code linear_growth}).
 *
 * <p>{@link #global()} holds the built-ins and whatever users register; it is thread-safe. {@link #withBuiltIns()}
 * gives an independent registry. Looking up an unknown name throws an {@link IllegalArgumentException} that lists the
 * known names.
 *
 * @since 0.1.0
 */
public final class LossRegistry {

    private static final LossRegistry GLOBAL = withBuiltIns();

    private final Map<String, KdLoss.Factory> kd = new ConcurrentHashMap<>();
    private final Map<String, MatchLoss.Factory> match = new ConcurrentHashMap<>();
    private final Map<String, TemperatureScheduler.Factory> temperature = new ConcurrentHashMap<>();
    private final Map<String, WeightScheduler> weight = new ConcurrentHashMap<>();

    private LossRegistry() {}

    /**
     * Returns the process-wide registry: the built-ins plus every user registration.
     *
     * @return the shared registry
     */
    public static LossRegistry global() {
        return GLOBAL;
    }

    /**
     * Creates a new registry holding only the built-in losses and schedulers.
     *
     * @return a new registry
     */
    public static LossRegistry withBuiltIns() {
        LossRegistry r = new LossRegistry();
        LogitLosses.register(r);
        FeatureLosses.register(r);
        RelationLosses.register(r);
        SentenceLosses.register(r);
        Schedules.register(r);
        return r;
    }

    /**
     * Registers a KD loss under a name, replacing any earlier one.
     *
     * @param name the registry key
     * @param factory builds the loss from its arguments
     * @return this registry
     */
    public LossRegistry registerKd(String name, KdLoss.Factory factory) {
        kd.put(checkName(name), Objects.requireNonNull(factory, "factory"));
        return this;
    }

    /**
     * Registers an intermediate-match loss under a name, replacing any earlier one.
     *
     * @param name the registry key
     * @param factory builds the loss from its arguments
     * @return this registry
     */
    public LossRegistry registerMatch(String name, MatchLoss.Factory factory) {
        match.put(checkName(name), Objects.requireNonNull(factory, "factory"));
        return this;
    }

    /**
     * Registers a temperature scheduler under a name, replacing any earlier one.
     *
     * @param name the registry key
     * @param factory builds the scheduler from its arguments
     * @return this registry
     */
    public LossRegistry registerTemperature(String name, TemperatureScheduler.Factory factory) {
        temperature.put(checkName(name), Objects.requireNonNull(factory, "factory"));
        return this;
    }

    /**
     * Registers a weight scheduler under a name, replacing any earlier one.
     *
     * @param name the registry key
     * @param scheduler the scheduler
     * @return this registry
     */
    public LossRegistry registerWeight(String name, WeightScheduler scheduler) {
        weight.put(checkName(name), Objects.requireNonNull(scheduler, "scheduler"));
        return this;
    }

    /**
     * Creates the KD loss of a name.
     *
     * @param name the registry key
     * @param args its arguments
     * @return the loss
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public KdLoss kd(String name, LossArgs args) {
        return lookup("KD loss", kd, name).create(args);
    }

    /**
     * Creates the intermediate-match loss of a name.
     *
     * @param name the registry key
     * @param args its arguments
     * @return the loss
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public MatchLoss match(String name, LossArgs args) {
        return lookup("intermediate-match loss", match, name).create(args);
    }

    /**
     * Creates the temperature scheduler of a name.
     *
     * @param name the registry key
     * @param args its arguments
     * @return the scheduler
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public TemperatureScheduler temperature(String name, LossArgs args) {
        return lookup("temperature scheduler", temperature, name).create(args);
    }

    /**
     * Returns the weight scheduler of a name.
     *
     * @param name the registry key
     * @return the scheduler
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public WeightScheduler weight(String name) {
        return lookup("weight scheduler", weight, name);
    }

    /**
     * Returns the registered KD-loss names, sorted.
     *
     * @return the names
     */
    public Set<String> kdNames() {
        return new TreeSet<>(kd.keySet());
    }

    /**
     * Returns the registered intermediate-match loss names, sorted.
     *
     * @return the names
     */
    public Set<String> matchNames() {
        return new TreeSet<>(match.keySet());
    }

    /**
     * Returns the registered temperature-scheduler names, sorted.
     *
     * @return the names
     */
    public Set<String> temperatureNames() {
        return new TreeSet<>(temperature.keySet());
    }

    /**
     * Returns the registered weight-scheduler names, sorted.
     *
     * @return the names
     */
    public Set<String> weightNames() {
        return new TreeSet<>(weight.keySet());
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a registry name must not be blank, got '" + name + "'");
        }
        return name;
    }

    private static <T> T lookup(String kind, Map<String, T> map, String name) {
        T value = name == null ? null : map.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "unknown " + kind + " '" + name + "'; known names are " + new TreeSet<>(map.keySet()));
        }
        return value;
    }
}
