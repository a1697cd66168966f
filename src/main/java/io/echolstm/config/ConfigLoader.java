package io.echolstm.config;

import io.echolstm.model.LstmImplementation;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads config files and command-line overrides into validated {@link ExperimentSettings}.
 *
 * <p>Precedence, highest first: {@code --set experiment.NAME.KEY}, {@code --set KEY}, a file's
 * {@code experiment.NAME.KEY}, a file's {@code KEY}, the default in {@link Key}. Later files
 * override earlier ones. Experiments are listed, in order, by the {@code experiments} key; a config
 * without it has one experiment named {@value #DEFAULT_EXPERIMENT}. Any other key is an error.
 */
public final class ConfigLoader {
  public static final String EXPERIMENTS = "experiments";
  public static final String EXPERIMENT_PREFIX = "experiment.";
  public static final String DESCRIPTION = "description";
  public static final String DEFAULT_EXPERIMENT = "default";

  private final Map<String, String> fileValues = new LinkedHashMap<>();
  private final Map<String, String> overrides = new LinkedHashMap<>();

  /** Adds a config file; its keys override those of files added before it. */
  public ConfigLoader file(Path path) {
    Properties props = new Properties();
    try (Reader reader =
        withoutByteOrderMark(Files.newBufferedReader(path, StandardCharsets.UTF_8))) {
      props.load(reader);
    } catch (NoSuchFileException e) {
      throw new SettingsException("--conf", "config file does not exist: " + path);
    } catch (IOException e) {
      throw new SettingsException("--conf", "cannot read config file " + path + ": " + e);
    }
    new TreeMap<>(props).forEach((k, v) -> fileValues.put((String) k, ((String) v).trim()));
    return this;
  }

  /**
   * Skips a leading UTF-8 byte-order mark (Windows editors write one), which would otherwise become
   * part of the first key.
   */
  private static Reader withoutByteOrderMark(java.io.BufferedReader reader) throws IOException {
    reader.mark(1);
    if (reader.read() != '\ufeff') {
      reader.reset();
    }
    return reader;
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
    checkKeys(fileValues, defined);
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
    String listed = fileValues.get(EXPERIMENTS);
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
      if (key.equals(EXPERIMENTS) || Key.byName(key).isPresent()) {
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
      if (!setting.equals(DESCRIPTION) && Key.byName(setting).isEmpty()) {
        throw new SettingsException(key, "unknown key '" + setting + "'");
      }
    }
  }

  private ExperimentSettings resolve(String name) {
    Values v = new Values(name);
    try {
      DataSettings data =
          new DataSettings(
              v.integer(Key.DATA_VALUES),
              v.integer(Key.DATA_SEQUENCE_LENGTH),
              v.integer(Key.DATA_TRAIN_SEQUENCES),
              v.integer(Key.DATA_EVAL_SEQUENCES),
              v.integer(Key.DATA_VALIDATION_SEQUENCES),
              v.integer(Key.DATA_PARTITIONS));
      TrainSettings train =
          new TrainSettings(
              v.workers(),
              v.integer(Key.TRAIN_BATCH_SIZE),
              v.integer(Key.TRAIN_AVERAGING_FREQUENCY),
              v.integer(Key.TRAIN_PREFETCH),
              v.bool(Key.TRAIN_SAVE_UPDATER),
              v.enumValue(Key.TRAIN_APPROACH, Approach.class),
              v.enumValue(Key.TRAIN_REPARTITION, Repartitioning.class),
              v.bool(Key.TRAIN_COLLECT_STATS),
              v.enumValue(Key.MODEL_LSTM, LstmImplementation.class),
              v.integer(Key.TRAIN_EPOCHS),
              v.decimal(Key.TRAIN_LEARNING_RATE),
              v.optionalDecimal(Key.TRAIN_TARGET_ACCURACY),
              v.optionalDecimal(Key.TRAIN_MAX_SECONDS),
              v.integer(Key.TRAIN_PATIENCE),
              v.decimal(Key.TRAIN_MIN_IMPROVEMENT),
              v.integer(Key.EVAL_EVERY_WINDOWS));
      List<Variant> variants = new ArrayList<>();
      for (String id : v.strings(Key.SWEEP_VARIANTS)) {
        variants.add(Variant.parse(v.source(Key.SWEEP_VARIANTS), id));
      }
      return new ExperimentSettings(
          name,
          v.description(),
          v.longInteger(Key.SEED),
          data,
          train,
          v.integer(Key.EVAL_BATCH_SIZE),
          v.intList(Key.SWEEP_LAGS),
          v.intList(Key.SWEEP_WINDOWS),
          v.intList(Key.MODEL_HIDDEN),
          variants,
          v.concurrency());
    } catch (SettingsException e) {
      throw v.renamed(e);
    }
  }

  /** The effective values of one experiment, remembering which key each came from. */
  private final class Values {
    private final String experiment;

    Values(String experiment) {
      this.experiment = experiment;
    }

    /** The key the user wrote for this setting (for error messages). */
    String source(Key key) {
      String scoped = EXPERIMENT_PREFIX + experiment + "." + key.key();
      if (overrides.containsKey(scoped) || overrides.containsKey(key.key())) {
        return overrides.containsKey(scoped) ? scoped : key.key();
      }
      return fileValues.containsKey(scoped) ? scoped : key.key();
    }

    String raw(Key key) {
      String scoped = EXPERIMENT_PREFIX + experiment + "." + key.key();
      for (Map<String, String> layer : List.of(overrides, fileValues)) {
        if (layer.containsKey(scoped)) {
          return layer.get(scoped);
        }
        if (layer.containsKey(key.key())) {
          return layer.get(key.key());
        }
      }
      return key.defaultValue();
    }

    String description() {
      String scoped = EXPERIMENT_PREFIX + experiment + "." + DESCRIPTION;
      return overrides.getOrDefault(scoped, fileValues.getOrDefault(scoped, ""));
    }

    int integer(Key key) {
      return parsed(key, Integer::parseInt, "an integer");
    }

    long longInteger(Key key) {
      return parsed(key, Long::parseLong, "an integer");
    }

    double decimal(Key key) {
      return parsed(key, Double::parseDouble, "a number");
    }

    /** The key's value parsed, or an error naming the key and what was expected. */
    private <T> T parsed(Key key, java.util.function.Function<String, T> parser, String expected) {
      String text = raw(key);
      try {
        return parser.apply(text);
      } catch (NumberFormatException e) {
        throw new SettingsException(source(key), "expected " + expected + ", found '" + text + "'");
      }
    }

    OptionalDouble optionalDecimal(Key key) {
      return raw(key).equals("none") ? OptionalDouble.empty() : OptionalDouble.of(decimal(key));
    }

    boolean bool(Key key) {
      String text = raw(key).toLowerCase(Locale.ROOT);
      return switch (text) {
        case "true" -> true;
        case "false" -> false;
        default ->
            throw new SettingsException(
                source(key), "expected true or false, found '" + text + "'");
      };
    }

    /** {@code sweep.concurrency}: a count >= 1, or {@link ExperimentSettings#AUTO_CONCURRENCY}. */
    int concurrency() {
      if (raw(Key.SWEEP_CONCURRENCY).equals("auto")) {
        return ExperimentSettings.AUTO_CONCURRENCY;
      }
      return Check.atLeast(
          source(Key.SWEEP_CONCURRENCY), "concurrency", integer(Key.SWEEP_CONCURRENCY), 1);
    }

    int workers() {
      String text = raw(Key.TRAIN_WORKERS);
      if (text.equals("auto")) {
        return TrainSettings.AUTO_WORKERS;
      }
      int n = integer(Key.TRAIN_WORKERS);
      return Check.atLeast(source(Key.TRAIN_WORKERS), "workers", n, 1);
    }

    <E extends Enum<E>> E enumValue(Key key, Class<E> type) {
      String text = raw(key);
      String constant = text.toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(constant)) {
          return e;
        }
      }
      List<String> allowed = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      throw new SettingsException(
          source(key), "expected one of " + String.join(", ", allowed) + ", found '" + text + "'");
    }

    List<String> strings(Key key) {
      List<String> out = new ArrayList<>();
      for (String part : raw(key).split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      if (out.isEmpty()) {
        throw new SettingsException(source(key), "must list at least one value, found none");
      }
      return out;
    }

    List<Integer> intList(Key key) {
      try {
        return IntLists.parse(raw(key));
      } catch (IllegalArgumentException e) {
        throw new SettingsException(source(key), e.getMessage());
      }
    }

    /** Re-issues a record's validation error under the key the user actually wrote. */
    SettingsException renamed(SettingsException e) {
      Key key = Key.byName(e.key()).orElse(null);
      if (key == null || source(key).equals(e.key())) {
        return e;
      }
      String message = e.getMessage();
      String problem = message.substring(0, message.length() - (" (key " + e.key() + ")").length());
      return new SettingsException(source(key), problem);
    }
  }
}
