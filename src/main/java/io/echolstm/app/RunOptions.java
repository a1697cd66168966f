package io.echolstm.app;

import io.echolstm.config.SettingsException;
import io.echolstm.results.ResultsPath;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options {@code sweep} and {@code plan} share: which config, which experiments, which
 * overrides, which table and run. Validated by {@link #runId()} and {@link #resultsDir()}, so both
 * commands refuse the same input.
 */
final class RunOptions {
  static final Path DEFAULT_CONF = Path.of("conf", "tutorial.properties");

  /**
   * The system property naming the project directory (scripts/run.sh sets it): the default config
   * is the project's own, found from there whatever the current directory. User paths ({@code
   * --conf}, {@code --results}) stay relative to the current directory.
   */
  static final String HOME_PROPERTY = "echolstm.home";

  static final int MAX_RUN_ID = 100;
  static final String DEFAULT_RESULTS = "results";

  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description =
          "Config file (repeatable; later files override earlier ones)."
              + " Default: the project's conf/tutorial.properties.")
  List<Path> conf = new ArrayList<>();

  @Option(
      names = "--experiment",
      paramLabel = "NAME",
      description = "Run only the named experiment(s) of the config (repeatable). Default: all.")
  List<String> experiments = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a key for the picked experiments (repeatable);"
              + " experiment.NAME.KEY=VALUE for one experiment.")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Parquet results table directory (default: ${DEFAULT-VALUE}).",
      defaultValue = DEFAULT_RESULTS)
  String results = DEFAULT_RESULTS;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description =
          "Run id: a letter or digit, then letters, digits, '.', '_', '-' (at most 100)."
              + " Rerunning an id skips the points it already committed; it must have the plan"
              + " the run was started with."
              + " Default: the UTC start time and a random suffix, unique per driver,"
              + " e.g. 20261130T045700.123Z-3f9a1c2e.")
  String runId;

  @Option(
      names = "--overwrite",
      description =
          "Retrain points the run already committed and replace their rows; with another plan,"
              + " replace the run (its points not in this plan are deleted).")
  boolean overwrite;

  private String resolvedRunId;

  /** The config files: the given ones, else the project's default. */
  List<Path> confFiles() {
    return conf.isEmpty() ? List.of(defaultConf()) : List.copyOf(conf);
  }

  /** The run id: the given one, checked, or (once per options object) a {@link #defaultRunId()}. */
  String runId() {
    if (resolvedRunId == null) {
      resolvedRunId = runId == null ? defaultRunId() : checkRunId(runId);
    }
    return resolvedRunId;
  }

  /**
   * The results directory, checked for what the table's paths can carry ({@link ResultsPath}) and
   * written as the job uses it.
   */
  String resultsDir() {
    return checkResults(results);
  }

  /** {@link ResultsPath#check}, refusals naming {@code --results}. */
  static String checkResults(String dir) {
    try {
      return ResultsPath.check(dir);
    } catch (IllegalArgumentException e) {
      throw new SettingsException("--results", e.getMessage());
    }
  }

  static String checkRunId(String id) {
    if (id.length() > MAX_RUN_ID) {
      throw new SettingsException(
          "--run-id", "run id is too long: " + id.length() + " characters, at most " + MAX_RUN_ID);
    }
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new SettingsException(
          "--run-id",
          "run id must start with a letter or digit, then letters, digits, '.', '_' or '-',"
              + " found '"
              + id
              + "'");
    }
    return id;
  }

  private static final DateTimeFormatter START =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A default run id: the UTC start time to the millisecond, so ids sort by start, and 32 random
   * bits, so two drivers started in the same millisecond (on one machine or several) do not pick
   * the same id, e.g. {@code 20261130T045700.123Z-3f9a1c2e}.
   */
  static String defaultRunId() {
    return START.format(ZonedDateTime.now(ZoneOffset.UTC))
        + "-"
        + String.format("%08x", RANDOM.nextInt());
  }

  /** {@link #DEFAULT_CONF} under the project directory when it is known, else relative. */
  static Path defaultConf() {
    String home = System.getProperty(HOME_PROPERTY, "");
    return home.isBlank() ? DEFAULT_CONF : Path.of(home).resolve(DEFAULT_CONF);
  }
}
