package io.echolstm.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads config files and command-line overrides into validated {@link ExperimentSettings}.
 *
 * <p>Precedence, in layers, highest first: the {@code --set} overrides, then the config files from
 * the last one given to the first, then the default in the setting's {@link Setting} declaration
 * ({@link Settings}). The highest layer that sets a key for an experiment decides it, and within
 * one layer {@code experiment.NAME.KEY} wins over {@code KEY}: a later file's {@code KEY} overrides
 * an earlier file's {@code experiment.NAME.KEY} (logged as a notice), as {@code --set KEY} does.
 * Experiments are listed, in order, by the {@code experiments} key (the last file that has it
 * decides); a config without it has one experiment named {@value #DEFAULT_EXPERIMENT}. Any other
 * key is an error.
 */
public final class ConfigLoader {
  public static final String EXPERIMENTS = "experiments";
  public static final String EXPERIMENT_PREFIX = "experiment.";
  public static final String DESCRIPTION = "description";
  public static final String DEFAULT_EXPERIMENT = "default";

  /**
   * The largest config file read, in bytes: a config sets at most a few dozen keys per experiment,
   * so this holds thousands of experiments, and a file that is not a config (a device, a log, a
   * data file given by mistake) is refused before it is read.
   */
  public static final long MAX_FILE_BYTES = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** One source of keys: a config file, or the command line's overrides. */
  private record Layer(String source, Map<String, String> values) {}

  private final List<Layer> files = new ArrayList<>();
  private final Map<String, String> overrides = new LinkedHashMap<>();
  private final Set<String> noticed = new HashSet<>();

  /**
   * Adds a config file; its keys override those of files added before it.
   *
   * @throws SettingsException (key {@code --conf}) naming the file, and the line where there is
   *     one, when it is not a regular file of at most {@value #MAX_FILE_BYTES} bytes of UTF-8 text
   *     in Java's properties format
   */
  public ConfigLoader file(Path path) {
    Map<String, String> values = new LinkedHashMap<>();
    new TreeMap<>(ConfigText.parse(ConfigText.read(path, MAX_FILE_BYTES), path))
        .forEach((k, v) -> values.put((String) k, ((String) v).trim()));
    files.add(new Layer(path.toString(), values));
    return this;
  }

  /** Adds a {@code KEY=VALUE} override from the command line. */
  public ConfigLoader set(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new SettingsException("--set", "expected KEY=VALUE, found '" + assignment + "'");
    }
    overrides.put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
    return this;
  }

  /**
   * Validates every key and value and returns the picked experiments in config order (all of them
   * when {@code picked} is empty).
   */
  public List<ExperimentSettings> load(List<String> picked) {
    List<String> defined = definedExperiments();
    for (Layer file : files) {
      checkKeys(file.values(), defined);
    }
    checkKeys(overrides, defined);
    if (overrides.containsKey(EXPERIMENTS)) {
      throw new SettingsException(EXPERIMENTS, "cannot be overridden with --set; use --experiment");
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : picked) {
      if (!defined.contains(name)) {
        throw new SettingsException(
            "--experiment",
            "unknown experiment '" + name + "', the config defines " + String.join(", ", defined));
      }
      names.add(name);
    }
    List<ExperimentSettings> result = new ArrayList<>();
    for (String name : defined) {
      if (names.isEmpty() || names.contains(name)) {
        result.add(resolve(name));
      }
    }
    return List.copyOf(result);
  }

  private List<String> definedExperiments() {
    String listed = null;
    for (Layer file : files) {
      listed = file.values().getOrDefault(EXPERIMENTS, listed);
    }
    if (listed == null) {
      return List.of(DEFAULT_EXPERIMENT);
    }
    List<String> names = new ArrayList<>();
    for (String part : listed.split(",")) {
      String name = part.trim();
      if (name.isEmpty() || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
        throw new SettingsException(
            EXPERIMENTS, "experiment names are letters, digits, '-' and '_', found '" + name + "'");
      }
      if (names.contains(name)) {
        throw new SettingsException(EXPERIMENTS, "experiment '" + name + "' is listed twice");
      }
      names.add(name);
    }
    return names;
  }

  private static void checkKeys(Map<String, String> values, List<String> experiments) {
    for (String key : values.keySet()) {
      if (key.equals(EXPERIMENTS) || Settings.byKey(key).isPresent()) {
        continue;
      }
      if (!key.startsWith(EXPERIMENT_PREFIX)) {
        throw new SettingsException(key, "unknown key");
      }
      String rest = key.substring(EXPERIMENT_PREFIX.length());
      int dot = rest.indexOf('.');
      String name = dot < 0 ? rest : rest.substring(0, dot);
      String setting = dot < 0 ? "" : rest.substring(dot + 1);
      if (!experiments.contains(name)) {
        throw new SettingsException(
            key,
            "unknown experiment '"
                + name
                + "' (not in '"
                + EXPERIMENTS
                + "': "
                + String.join(", ", experiments)
                + ")");
      }
      if (!setting.equals(DESCRIPTION) && Settings.byKey(setting).isEmpty()) {
        throw new SettingsException(key, "unknown key '" + setting + "'");
      }
    }
  }

  /**
   * Builds one experiment's records from its effective values, each with {@code v.get(Settings.X)}.
   *
   * @throws IllegalStateException naming a declared setting this method did not read: a setting
   *     must reach the record its key prefix names, so every load fails until it does
   */
  private ExperimentSettings resolve(String name) {
    Values v = new Values(name);
    ExperimentSettings experiment;
    try {
      experiment =
          new ExperimentSettings(
              name,
              v.description(),
              v.get(Settings.SEED),
              new SweepSettings(
                  v.get(Settings.SWEEP_VARIANTS),
                  v.get(Settings.SWEEP_LAGS),
                  v.get(Settings.SWEEP_WINDOWS),
                  v.get(Settings.SWEEP_CONCURRENCY),
                  v.get(Settings.SWEEP_LAG_SEARCH)),
              new DataSettings(
                  v.get(Settings.DATA_VALUES),
                  v.get(Settings.DATA_SEQUENCE_LENGTH),
                  v.get(Settings.DATA_TRAIN_SEQUENCES),
                  v.get(Settings.DATA_EVAL_SEQUENCES),
                  v.get(Settings.DATA_VALIDATION_SEQUENCES),
                  v.get(Settings.DATA_PARTITIONS)),
              new ModelSettings(
                  v.get(Settings.MODEL_HIDDEN),
                  v.get(Settings.MODEL_LSTM),
                  v.get(Settings.MODEL_SAVE)),
              new TrainSettings(
                  v.get(Settings.TRAIN_WORKERS),
                  v.get(Settings.TRAIN_BATCH_SIZE),
                  v.get(Settings.TRAIN_AVERAGING_FREQUENCY),
                  v.get(Settings.TRAIN_PREFETCH),
                  v.get(Settings.TRAIN_SAVE_UPDATER),
                  v.get(Settings.TRAIN_APPROACH),
                  v.get(Settings.TRAIN_REPARTITION),
                  v.get(Settings.TRAIN_COLLECT_STATS),
                  v.get(Settings.TRAIN_EPOCHS),
                  v.get(Settings.TRAIN_LEARNING_RATE),
                  v.get(Settings.TRAIN_TARGET_ACCURACY),
                  v.get(Settings.TRAIN_MAX_SECONDS),
                  v.get(Settings.TRAIN_PATIENCE),
                  v.get(Settings.TRAIN_MIN_IMPROVEMENT),
                  v.get(Settings.TRAIN_AVERAGING)),
              new EvalSettings(
                  v.get(Settings.EVAL_EVERY_WINDOWS), v.get(Settings.EVAL_BATCH_SIZE)));
    } catch (SettingsException e) {
      throw v.renamed(e);
    }
    requireEveryOneRead(Settings.ALL, v.read);
    return experiment;
  }

  /**
   * Throws unless every setting of {@code declared} is in {@code read}: a declaration that no
   * record receives would be accepted from the user and silently do nothing.
   *
   * @throws IllegalStateException naming the first unread key
   */
  static void requireEveryOneRead(List<Setting<?>> declared, Set<Setting<?>> read) {
    for (Setting<?> s : declared) {
      if (!read.contains(s)) {
        throw new IllegalStateException(
            "setting "
                + s.key()
                + " is declared in Settings.ALL but ConfigLoader.resolve never reads it: pass"
                + " v.get(Settings.X) to the record its key prefix names, or remove the"
                + " declaration");
      }
    }
  }

  /** A key an experiment's value comes from, as written, and the value. */
  private record Winner(String key, String value) {}

  /** The effective values of one experiment, remembering which key each came from. */
  private final class Values {
    private final String experiment;

    /** The settings {@link #get} has returned, for {@link #requireEveryOneRead}. */
    private final Set<Setting<?>> read = new HashSet<>();

    Values(String experiment) {
      this.experiment = experiment;
    }

    /** The key the user wrote for this setting (for error messages). */
    String source(Setting<?> setting) {
      return winner(setting.key()).map(Winner::key).orElse(setting.key());
    }

    String raw(Setting<?> setting) {
      return winner(setting.key()).map(Winner::value).orElse(setting.defaultValue());
    }

    String description() {
      return winner(DESCRIPTION).map(Winner::value).orElse("");
    }

    /**
     * Where this experiment's {@code key} comes from: the highest layer that sets it, scoped or
     * plain (the scoped key first within a layer); empty for the default. A later file's plain key
     * that overrides an earlier file's scoped one is logged once, as the earlier value is easy to
     * expect.
     */
    private Optional<Winner> winner(String key) {
      String scoped = EXPERIMENT_PREFIX + experiment + "." + key;
      List<Layer> layers = new ArrayList<>(files);
      layers.add(new Layer("--set", overrides));
      for (int i = layers.size() - 1; i >= 0; i--) {
        Map<String, String> values = layers.get(i).values();
        if (values.containsKey(scoped)) {
          return Optional.of(new Winner(scoped, values.get(scoped)));
        }
        if (values.containsKey(key)) {
          if (i < layers.size() - 1) {
            noticeShadowed(key, scoped, values.get(key), layers.get(i), layers.subList(0, i));
          }
          return Optional.of(new Winner(key, values.get(key)));
        }
      }
      return Optional.empty();
    }

    private void noticeShadowed(
        String key, String scoped, String value, Layer later, List<Layer> earlier) {
      for (int j = earlier.size() - 1; j >= 0; j--) {
        String shadowed = earlier.get(j).values().get(scoped);
        if (shadowed != null) {
          if (!shadowed.equals(value) && noticed.add(scoped)) {
            LOG.info(
                "config: {} = {} in {} overrides {} = {} in the earlier {} (a later --conf file"
                    + " wins; set {} in the later file to keep a value for experiment {} only)",
                key,
                value,
                later.source(),
                scoped,
                shadowed,
                earlier.get(j).source(),
                scoped,
                experiment);
          }
          return;
        }
      }
    }

    /**
     * The setting's effective value, parsed and checked by its declaration.
     *
     * @throws IllegalStateException when the setting is not in {@link Settings#ALL}: the user could
     *     not set it, and it would have no README row, column or {@code --help} line
     */
    <T> T get(Setting<T> setting) {
      if (Settings.byKey(setting.key()).orElse(null) != setting) {
        throw new IllegalStateException(
            "setting " + setting.key() + " is read by ConfigLoader but not listed in Settings.ALL");
      }
      read.add(setting);
      return setting.parse(raw(setting));
    }

    /** Re-issues a record's validation error under the key the user actually wrote. */
    SettingsException renamed(SettingsException e) {
      Setting<?> key = Settings.byKey(e.key()).orElse(null);
      if (key == null || source(key).equals(e.key())) {
        return e;
      }
      String message = e.getMessage();
      String problem = message.substring(0, message.length() - (" (key " + e.key() + ")").length());
      return new SettingsException(source(key), problem);
    }
  }
}
