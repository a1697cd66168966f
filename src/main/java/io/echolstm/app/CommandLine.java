package io.echolstm.app;

import io.echolstm.config.Settings;
import io.echolstm.config.SettingsException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed arguments of {@code sweep [--conf FILE]... [--experiment NAME]... [--set KEY=VALUE]...
 * [--results DIR] [--run-id ID] [--overwrite]}.
 */
record CommandLine(
    List<Path> confFiles,
    List<String> experiments,
    List<String> sets,
    String resultsDir,
    String runId,
    boolean overwrite,
    boolean help) {

  static final Path DEFAULT_CONF = Path.of("conf", "tutorial.properties");

  /**
   * The system property naming the project directory (scripts/run.sh sets it): the default config
   * is the project's own, found from there whatever the current directory. User paths ({@code
   * --conf}, {@code --results}) stay relative to the current directory.
   */
  static final String HOME_PROPERTY = "echolstm.home";

  static final int MAX_RUN_ID = 100;
  static final String DEFAULT_RESULTS = "results";

  static final String USAGE =
      String.join(
          "\n",
          "usage: sweep [--conf FILE]... [--experiment NAME]... [--set KEY=VALUE]...",
          "             [--results DIR] [--run-id ID] [--overwrite]",
          "",
          "  --conf FILE        config file(s), later ones override earlier"
              + " (default conf/tutorial.properties)",
          "  --experiment NAME  run only the named experiment(s) of the config (default: all)",
          "  --set KEY=VALUE    override a key for the picked experiments",
          "  --results DIR      Parquet results table directory (default results)",
          "  --run-id ID        run id; rerunning with the same id skips points already written",
          "  --overwrite        retrain and replace points the run already wrote",
          "",
          "keys (--set KEY=VALUE, or in a config file; experiment.NAME.KEY for one experiment):",
          Settings.usage());

  static CommandLine parse(String[] args) {
    List<Path> conf = new ArrayList<>();
    List<String> experiments = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    String results = DEFAULT_RESULTS;
    String runId = null;
    boolean overwrite = false;
    int i = 0;
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      return new CommandLine(List.of(), List.of(), List.of(), results, "", false, true);
    }
    if (args.length == 0 || !args[0].equals("sweep")) {
      throw new SettingsException(
          "command",
          "expected the command 'sweep', found "
              + (args.length == 0 ? "nothing" : "'" + args[0] + "'"));
    }
    for (i = 1; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return new CommandLine(List.of(), List.of(), List.of(), results, "", false, true);
        }
        case "--overwrite" -> overwrite = true;
        case "--conf" -> conf.add(Path.of(value(args, ++i, arg)));
        case "--experiment" -> experiments.add(value(args, ++i, arg));
        case "--set" -> sets.add(value(args, ++i, arg));
        case "--results" -> results = value(args, ++i, arg);
        case "--run-id" -> runId = value(args, ++i, arg);
        default -> throw new SettingsException(arg, "unknown option");
      }
    }
    if (conf.isEmpty()) {
      conf.add(defaultConf());
    }
    if (runId == null) {
      runId =
          DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
              .format(ZonedDateTime.now(ZoneOffset.UTC));
    } else if (runId.length() > MAX_RUN_ID) {
      throw new SettingsException(
          "--run-id",
          "run id is too long: " + runId.length() + " characters, at most " + MAX_RUN_ID);
    } else if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new SettingsException(
          "--run-id",
          "run id must start with a letter or digit, then letters, digits, '.', '_' or '-',"
              + " found '"
              + runId
              + "'");
    }
    if (results.isBlank()) {
      throw new SettingsException("--results", "results directory must not be empty");
    }
    return new CommandLine(conf, experiments, sets, results, runId, overwrite, false);
  }

  /** {@link #DEFAULT_CONF} under the project directory when it is known, else relative. */
  static Path defaultConf() {
    String home = System.getProperty(HOME_PROPERTY, "");
    return home.isBlank() ? DEFAULT_CONF : Path.of(home).resolve(DEFAULT_CONF);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new SettingsException(option, "expects a value");
    }
    return args[i];
  }
}
