package io.echolstm.app;

import io.echolstm.config.Approach;
import io.echolstm.config.ConfigLoader;
import io.echolstm.config.ExperimentSettings;
import io.echolstm.config.Settings;
import io.echolstm.config.SettingsException;
import io.echolstm.report.SummaryTable;
import io.echolstm.results.ResultsTable;
import io.echolstm.sweep.PointFailedException;
import io.echolstm.sweep.RunGuard;
import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import io.echolstm.sweep.SweepRunner;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Entry point: the {@code sweep}, {@code plan}, {@code report} and {@code predict} commands. Each
 * parses and validates everything first; {@code sweep} then runs on the session spark-submit
 * configured ({@code local[*]} when no master is set) and prints the run's summary table, {@code
 * plan} prints the points it would train, {@code report} writes the charts of runs read back from
 * the table, {@code predict} echoes a sequence with a saved model, without Spark.
 *
 * <p>Exit codes: 0 done, 1 the sweep failed, 2 bad arguments or config (nothing was run).
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err);
    } catch (Throwable t) {
      // run() maps every failure to a code; this is the last line of defence, never a bare
      // "Exception in thread main".
      LOG.error("echo-lstm failed", t);
      System.err.println("echo-lstm: failed: " + describe(t));
      code = FAILED;
    }
    if (code != OK) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return commandLine(out, err).execute(args);
  }

  /**
   * The command tree: {@code sweep}, {@code plan} and {@code predict}, with help and version
   * options on each. Bad options get one line and exit code 2; anything a command did not map to a
   * code gets one line and exit code 1.
   */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new EchoLstmCommand(err));
    cli.addSubcommand(withKeys(new CommandLine(new SweepCommand(out, err))));
    cli.addSubcommand(withKeys(new CommandLine(new PlanCommand(out, err))));
    cli.addSubcommand(new CommandLine(new ReportCommand(out, err)));
    cli.addSubcommand(new CommandLine(new PredictCommand(out, err)));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          String command = e.getCommandLine().getCommandSpec().qualifiedName();
          err.println("echo-lstm: " + e.getMessage() + " (see '" + command + " --help')");
          return BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          LOG.error("echo-lstm failed", e);
          err.println("echo-lstm: failed: " + describe(e));
          return FAILED;
        });
    return cli;
  }

  /**
   * The config keys, from their declarations, at the end of a command's help: printed as they are
   * (picocli would re-wrap the aligned lines).
   */
  private static CommandLine withKeys(CommandLine command) {
    String keys =
        String.join(
            System.lineSeparator(),
            "",
            "Keys (--set KEY=VALUE, or in a config file; experiment.NAME.KEY for one experiment):",
            Settings.usage().stripTrailing(),
            "",
            "Exit codes: 0 done, 1 failed (committed points stay), 2 bad arguments or config.",
            "");
    command
        .getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, h -> keys);
    return command;
  }

  /**
   * What {@code sweep} and {@code plan} both build from their options before any work, with the
   * Hadoop configuration and the master they were checked against.
   */
  record Prepared(
      RunOptions options,
      List<ExperimentSettings> experiments,
      SweepPlan plan,
      Configuration hadoop,
      String master) {}

  /**
   * Loads, validates and expands everything {@code options} name, and checks the results directory
   * and the training approach against the master, without starting Spark.
   *
   * @throws SettingsException naming the key or option at fault
   */
  static Prepared prepare(RunOptions options) {
    options.runId();
    ConfigLoader loader = new ConfigLoader();
    options.confFiles().forEach(loader::file);
    options.sets.forEach(loader::set);
    List<ExperimentSettings> experiments = loader.load(options.experiments);
    SweepPlan plan = SweepPlan.expand(experiments);
    Configuration hadoop = hadoopConfiguration();
    String master = master();
    checkResultsDir(options.resultsDir(), hadoop);
    checkApproach(plan, master, hadoop);
    return new Prepared(options, experiments, plan, hadoop, master);
  }

  /** Runs a prepared sweep on the session spark-submit configured; returns the exit code. */
  static int sweep(Prepared prepared, PrintStream out, PrintStream err) {
    RunOptions cli = prepared.options();
    SweepPlan plan = prepared.plan();
    RunGuard guard;
    try {
      // Before Spark: takes the run's lease (released in the finally below), checks the plan.
      guard =
          RunGuard.open(
              cli.resultsDir(),
              cli.runId(),
              prepared.hadoop(),
              plan,
              prepared.master(),
              cli.overwrite);
    } catch (SettingsException e) {
      err.println("echo-lstm: " + e.getMessage());
      return BAD_INPUT;
    }
    logPlan(cli, plan, prepared.experiments().size());

    String stage = "starting Spark";
    SparkSession spark = null;
    try {
      spark = startSpark("echo-lstm sweep " + cli.runId());
      stage = "running the sweep";
      ResultsTable table = new ResultsTable(spark, cli.resultsDir());
      SweepRunner.Summary summary =
          new SweepRunner(spark, table, cli.runId(), cli.overwrite).run(plan, guard);
      stage = "checking that every point is committed";
      String missing = missingPoints(plan, table.committedPoints(cli.runId()));
      if (!missing.isEmpty()) {
        LOG.error("run {}: {} not in {} after the sweep", cli.runId(), missing, cli.resultsDir());
        err.println(
            "echo-lstm: sweep failed: "
                + missing
                + " not committed in "
                + cli.resultsDir()
                + " after the sweep (was the results directory deleted or changed during the"
                + " run?); rerun with the same --run-id "
                + cli.runId()
                + " to train them");
        return FAILED;
      }
      stage = "reading the summary";
      List<Row> rows =
          table
              .run(cli.runId())
              .where(
                  org.apache.spark.sql.functions.col("point_id").isin(summary.pointIds().toArray()))
              .collectAsList();
      List<Row> ordered = new java.util.ArrayList<>(rows);
      ordered.sort(
          java.util.Comparator.comparingInt(
              r -> summary.pointIds().indexOf(r.<String>getAs("point_id"))));
      out.println();
      out.println(
          "run "
              + cli.runId()
              + ": "
              + summary.trained()
              + " trained, "
              + summary.skipped()
              + " already done; results in "
              + cli.resultsDir());
      out.print(SummaryTable.format(ordered));
      return OK;
    } catch (SettingsException e) {
      // The run refused once Spark told what train.workers=auto resolves to: nothing was written.
      err.println("echo-lstm: " + e.getMessage());
      return BAD_INPUT;
    } catch (Throwable t) {
      // Errors too (an assertion, an out-of-memory error): the full trace goes to the log, one
      // line naming the stage and the point to the user.
      LOG.error("sweep failed while {}", stage, t);
      err.println("echo-lstm: " + failureLine(stage, t));
      return FAILED;
    } finally {
      stopQuietly(spark);
      guard.close();
    }
  }

  static final String DEFAULT_MASTER = "local[*]";

  /** The session spark-submit configured, on {@link #DEFAULT_MASTER} when it names no master. */
  static SparkSession startSpark(String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    if (!conf.contains("spark.master")) {
      conf.setMaster(DEFAULT_MASTER);
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** Stops {@code spark} if it started; a failure to stop is logged, not thrown. */
  static void stopQuietly(SparkSession spark) {
    if (spark != null) {
      try {
        spark.stop();
      } catch (Throwable t) {
        LOG.warn("stopping Spark failed", t);
      }
    }
  }

  /**
   * One INFO line for the plan; the per-point {@code planned:} lines at DEBUG only, since a
   * 50,000-point plan would write megabytes of them.
   */
  static void logPlan(RunOptions cli, SweepPlan plan, int experiments) {
    LOG.info(
        "run {}: {} points in {} experiments from {} into {}",
        cli.runId(),
        plan.points().size(),
        experiments,
        cli.confFiles(),
        cli.resultsDir());
    if (LOG.isDebugEnabled()) {
      for (SweepPoint p : plan.points()) {
        LOG.debug("  planned: {}", p.key());
      }
    }
  }

  /** The master the session will use: spark-submit's {@code spark.master}, else local. */
  static String master() {
    return System.getProperty("spark.master", DEFAULT_MASTER);
  }

  /**
   * The Hadoop configuration the session will have, without starting it: Hadoop's defaults and site
   * files plus the {@code spark.hadoop.*} properties spark-submit passes as system properties.
   */
  static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    String prefix = "spark.hadoop.";
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        conf.set(name.substring(prefix.length()), System.getProperty(name));
      }
    }
    return conf;
  }

  /** The plan's points the table does not hold, e.g. {@code 2 of 8 points (point 3/8 [...])}. */
  static String missingPoints(SweepPlan plan, Set<String> committed) {
    List<String> missing = new java.util.ArrayList<>();
    List<SweepPoint> points = plan.points();
    for (int i = 0; i < points.size(); i++) {
      if (!committed.contains(points.get(i).id())) {
        missing.add("point " + (i + 1) + "/" + points.size() + " [" + points.get(i).label() + "]");
      }
    }
    if (missing.isEmpty()) {
      return "";
    }
    int shown = Math.min(5, missing.size());
    return missing.size()
        + " of "
        + points.size()
        + " points ("
        + String.join(", ", missing.subList(0, shown))
        + (missing.size() > shown ? ", and " + (missing.size() - shown) + " more" : "")
        + ")";
  }

  /**
   * The one line a failure after Spark started gets: the stage and, when a point failed, which
   * point, e.g. {@code sweep failed at point 3/8 [echo-lag variant=stateless lag=2 ...] while
   * training: SparkException: Job aborted ...}.
   */
  static String failureLine(String stage, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PointFailedException p) {
        return "sweep failed at "
            + p.progress()
            + " ["
            + p.label()
            + "] while "
            + p.stage()
            + ": "
            + describe(p.getCause() == null ? p : p.getCause());
      }
    }
    return "sweep failed while " + stage + ": " + describe(t);
  }

  /** A throwable on one short line: its class and the first line of its message. */
  static String describe(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage().strip();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline).strip() + " ...";
    }
    if (message.length() > 400) {
      message = message.substring(0, 400) + " ...";
    }
    String name =
        t.getClass().getSimpleName().isEmpty()
            ? t.getClass().getName()
            : t.getClass().getSimpleName();
    return (message.isEmpty() ? name : name + ": " + message) + " (stack trace in the log)";
  }

  /**
   * Refuses Export training where dl4j-spark would refuse it after Spark started: a master other
   * than {@code local}, {@code local[N]} or {@code local[*]} with a {@code file:} default file
   * system (the exported minibatches would not be visible to other executors).
   */
  static void checkApproach(SweepPlan plan, String master, Configuration hadoop) {
    boolean export = plan.points().stream().anyMatch(p -> p.train().approach() == Approach.EXPORT);
    if (!export || master.matches("local(\\[([0-9]+|\\*)\\])?")) {
      return;
    }
    String scheme = FileSystem.getDefaultUri(hadoop).getScheme();
    if (scheme == null || scheme.equals("file")) {
      throw new SettingsException(
          "train.approach",
          "train.approach=export needs a shared default file system on master "
              + master
              + ", but fs.defaultFS is "
              + FileSystem.getDefaultUri(hadoop)
              + ": use train.approach=direct, or set spark.hadoop.fs.defaultFS to a shared file"
              + " system (e.g. hdfs://...)");
    }
  }

  /**
   * Refuses, before Spark starts, a results path that cannot work: one whose scheme has no file
   * system on the classpath (e.g. {@code s3a://} here), a dangling symbolic link, a file, or a
   * directory that cannot be created.
   */
  static void checkResultsDir(String dir, Configuration hadoop) {
    java.util.regex.Matcher scheme =
        java.util.regex.Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):.*").matcher(dir);
    if (scheme.matches() && !scheme.group(1).equalsIgnoreCase("file")) {
      try {
        FileSystem.getFileSystemClass(scheme.group(1).toLowerCase(java.util.Locale.ROOT), hadoop);
      } catch (java.io.IOException | RuntimeException e) {
        throw new SettingsException(
            "--results",
            "no file system for scheme '"
                + scheme.group(1)
                + "' on the classpath: "
                + dir
                + " (file: and hdfs: work; see README)");
      }
      return; // a remote file system: Spark checks the rest when writing
    }
    Path path = Path.of(dir.startsWith("file:") ? dir.replaceFirst("^file:(//)?", "") : dir);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new SettingsException(
          "--results", "results path exists and is not a directory: " + dir);
    }
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      if (Files.isSymbolicLink(existing)) {
        throw new SettingsException(
            "--results", "results path has a dangling symbolic link " + existing + ": " + dir);
      }
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new SettingsException("--results", "results directory is not writable: " + dir);
    }
  }
}
