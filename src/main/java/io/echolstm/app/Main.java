package io.echolstm.app;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.ExperimentSettings;
import io.echolstm.config.SettingsException;
import io.echolstm.report.SummaryTable;
import io.echolstm.results.ResultsTable;
import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import io.echolstm.sweep.SweepRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: parse and validate everything, then run the sweep on the session spark-submit
 * configured ({@code local[*]} when no master is set) and print the run's summary table.
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
    int code = run(args, System.out, System.err);
    if (code != OK) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli;
    SweepPlan plan;
    try {
      cli = CommandLine.parse(args);
      if (cli.help()) {
        out.print(CommandLine.USAGE);
        return OK;
      }
      ConfigLoader loader = new ConfigLoader();
      cli.confFiles().forEach(loader::file);
      cli.sets().forEach(loader::set);
      List<ExperimentSettings> experiments = loader.load(cli.experiments());
      plan = SweepPlan.expand(experiments);
      checkResultsDir(cli.resultsDir());
    } catch (SettingsException e) {
      err.println("echo-lstm: " + e.getMessage());
      return BAD_INPUT;
    }

    LOG.info(
        "run {}: {} points from {} into {}",
        cli.runId(),
        plan.points().size(),
        cli.confFiles(),
        cli.resultsDir());
    for (SweepPoint p : plan.points()) {
      LOG.info("  planned: {}", p.key());
    }

    SparkConf conf = new SparkConf().setAppName("echo-lstm sweep " + cli.runId());
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      ResultsTable table = new ResultsTable(spark, cli.resultsDir());
      SweepRunner.Summary summary =
          new SweepRunner(spark, table, cli.runId(), cli.overwrite()).run(plan);
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
    } catch (RuntimeException e) {
      LOG.error("sweep failed", e);
      err.println("echo-lstm: sweep failed: " + e);
      return FAILED;
    } finally {
      spark.stop();
    }
  }

  /** Refuses a results path that is a file or cannot be created, before Spark starts. */
  static void checkResultsDir(String dir) {
    if (dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !dir.startsWith("file:")) {
      return; // a remote file system: Spark checks it when writing
    }
    Path path = Path.of(dir.startsWith("file:") ? dir.replaceFirst("^file:(//)?", "") : dir);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new SettingsException(
          "--results", "results path exists and is not a directory: " + dir);
    }
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new SettingsException("--results", "results directory is not writable: " + dir);
    }
  }
}
