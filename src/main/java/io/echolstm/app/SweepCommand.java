package io.echolstm.app;

import io.echolstm.config.SettingsException;
import io.echolstm.report.SummaryTable;
import io.echolstm.results.ResultsTable;
import io.echolstm.sweep.PointFailedException;
import io.echolstm.sweep.RunGuard;
import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import io.echolstm.sweep.SweepRunner;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sweep}: trains every point not yet in the run and writes its row. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Train and evaluate every point of the sweep on the Spark master spark-submit names"
          + " (local[*] when none), one row per point in the Parquet results table.",
      "Everything is validated before Spark starts."
    })
final class SweepCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SweepCommand.class);

  private final PrintStream out;
  private final PrintStream err;
  private final Termination termination;

  @Mixin RunOptions options = new RunOptions();

  @Option(
      names = {"-v", "--verbose"},
      description = "Also log each planned point with every setting (DEBUG level of echo-lstm).")
  boolean verbose;

  SweepCommand(PrintStream out, PrintStream err, Termination termination) {
    this.out = out;
    this.err = err;
    this.termination = termination;
  }

  @Override
  public Integer call() {
    Prepared prepared;
    try {
      prepared = Prepared.of(options);
    } catch (SettingsException e) {
      err.println("echo-lstm: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    if (verbose) {
      Configurator.setLevel("io.echolstm", Level.DEBUG);
    }
    return sweep(prepared);
  }

  /**
   * Runs a prepared sweep on the session spark-submit configured; returns the exit code. From the
   * lease on, a signal waits for this method to stop Spark and release the lease ({@link
   * Termination#guard}); every failure after that is reported by {@link Termination#failed}.
   */
  private int sweep(Prepared prepared) {
    RunOptions cli = prepared.options();
    SweepPlan plan = prepared.plan();
    try (Termination.Guard running = termination.guard(() -> committedSoFar(prepared))) {
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
        return Main.BAD_INPUT;
      } catch (java.io.UncheckedIOException e) {
        // The results directory's file system failed before anything ran: one line, the cause.
        LOG.debug("opening the run failed", e);
        err.println("echo-lstm: " + Main.withCause(e) + " (key --results)");
        return Main.BAD_INPUT;
      }
      logPlan(cli, plan, prepared.experiments().size());
      return sweep(prepared, guard);
    }
  }

  private int sweep(Prepared prepared, RunGuard guard) {
    RunOptions cli = prepared.options();
    SweepPlan plan = prepared.plan();
    String stage = "starting Spark";
    SparkSession spark = null;
    try {
      spark = SparkSetup.startSpark("echo-lstm sweep " + cli.runId());
      stage = "running the sweep";
      ResultsTable table = new ResultsTable(spark, cli.resultsDir());
      SweepRunner.Summary summary =
          new SweepRunner(spark, table, cli.runId(), cli.overwrite).run(plan, guard);
      stage = "checking that every point is committed";
      List<SweepPoint> expected =
          plan.points().stream().filter(p -> summary.pointIds().contains(p.id())).toList();
      String missing = missingPoints(expected, table.committedPoints(cli.runId()));
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
        return Main.FAILED;
      }
      stage = "reading the summary";
      printSummary(cli, table, summary);
      return Main.OK;
    } catch (SettingsException e) {
      // The run refused once Spark told what train.workers=auto resolves to: nothing was written.
      err.println("echo-lstm: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (Throwable t) {
      // Errors too (an assertion, an out-of-memory error), and Spark stopped under the sweep by a
      // signal: the handler picks the code and the line (the trace goes to the log).
      return termination.failed(
          new Termination.Failure("sweep", where(stage, t), failureLine(stage, t), t));
    } finally {
      SparkSetup.stopQuietly(spark);
      guard.close();
    }
  }

  /**
   * What the run has committed so far and how to resume it, for the line of an interrupted sweep,
   * e.g. {@code 2 of 8 points committed in results (run nightly-1); rerun with --run-id nightly-1
   * to train the rest}.
   */
  static String committedSoFar(Prepared prepared) {
    RunOptions cli = prepared.options();
    SweepPlan plan = prepared.plan();
    String resume = "rerun with --run-id " + cli.runId() + " to train the rest";
    try {
      Set<String> committed =
          ResultsTable.committedPoints(cli.resultsDir(), prepared.hadoop(), cli.runId());
      long done = plan.points().stream().filter(p -> committed.contains(p.id())).count();
      return done
          + " of "
          + plan.points().size()
          + " points committed in "
          + cli.resultsDir()
          + " (run "
          + cli.runId()
          + "); "
          + (done == plan.points().size() ? "nothing left to train" : resume);
    } catch (RuntimeException e) {
      LOG.debug("cannot list the committed points", e);
      return "the points committed so far stay in " + cli.resultsDir() + "; " + resume;
    }
  }

  /** Where a sweep was when it failed: the point and its stage, or the sweep's own stage. */
  static String where(String stage, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PointFailedException p) {
        return "at " + p.progress() + " [" + p.label() + "] while " + p.stage();
      }
    }
    return "while " + stage;
  }

  /** The run's rows of the plan's points, in plan order, under a line of counts. */
  private void printSummary(RunOptions cli, ResultsTable table, SweepRunner.Summary summary) {
    List<Row> rows =
        table
            .run(cli.runId())
            .where(functions.col("point_id").isin(summary.pointIds().toArray()))
            .collectAsList();
    List<Row> ordered = new ArrayList<>(rows);
    ordered.sort(
        Comparator.comparingInt(r -> summary.pointIds().indexOf(r.<String>getAs("point_id"))));
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

  /**
   * The points of {@code points} (the plan's grid points and the probes its searches made) the
   * table does not hold, e.g. {@code 2 of 8 points (point 3/8 [...])}.
   */
  static String missingPoints(List<SweepPoint> points, Set<String> committed) {
    List<String> missing = new ArrayList<>();
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
            + Main.describe(p.getCause() == null ? p : p.getCause());
      }
    }
    return "sweep failed while " + stage + ": " + Main.describe(t);
  }
}
