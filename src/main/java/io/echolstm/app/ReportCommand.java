package io.echolstm.app;

import io.echolstm.config.SettingsException;
import io.echolstm.report.PointResult;
import io.echolstm.report.PointsFile;
import io.echolstm.report.Report;
import io.echolstm.report.ReportInputException;
import io.echolstm.report.ReportRuns;
import io.echolstm.results.ResultsTable;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code report}: reads runs back from the results table and writes one self-contained HTML page
 * with its charts, plus each chart as a PNG file and the rows shown ({@code points.jsonl}) beside
 * it.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Write the report of runs of the results table: one self-contained HTML page (no scripts,"
          + " nothing fetched; the charts embedded), each chart as a PNG file beside it, and"
          + " points.jsonl, the rows shown as JSON Lines."
    })
final class ReportCommand implements Callable<Integer> {
  static final String DEFAULT_OUT_PARENT = "reports";

  /** Longest default output directory name made of run ids before it is abbreviated. */
  static final int MAX_DEFAULT_NAME = 120;

  private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);

  private final PrintStream out;
  private final PrintStream err;
  private final Termination termination;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Parquet results table directory (default: ${DEFAULT-VALUE}).",
      defaultValue = RunOptions.DEFAULT_RESULTS)
  String results = RunOptions.DEFAULT_RESULTS;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description =
          "A run to report (repeatable: several runs in one report)."
              + " Default: the latest run in the table (the one whose last point ended last).")
  List<String> runIds = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Local directory for index.html, the PNGs and points.jsonl (created; files of the same"
              + " names are replaced). Default: reports/RUN_ID (reports/ID1+ID2... for several"
              + " runs).")
  String outDir;

  ReportCommand(PrintStream out, PrintStream err, Termination termination) {
    this.out = out;
    this.err = err;
    this.termination = termination;
  }

  @Override
  public Integer call() {
    // The charts are drawn off-screen: AWT must not open a DISPLAY the driver may have. JVM-wide,
    // so set here, where the report command starts, before anything loads AWT.
    System.setProperty("java.awt.headless", "true");
    Set<String> wanted = new LinkedHashSet<>();
    try {
      for (String id : runIds) {
        wanted.add(RunOptions.checkRunId(id));
      }
      results = RunOptions.checkResults(results);
      SparkSetup.checkMaster(SparkSetup.master());
      if (outDir != null) {
        checkOut(outDir);
      }
      SortedSet<String> runs = ResultsTable.runIds(results, SparkSetup.hadoopConfiguration());
      ReportRuns.check(wanted, runs, results);
    } catch (SettingsException | ReportInputException e) {
      err.println("echo-lstm: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (java.io.UncheckedIOException e) {
      LOG.debug("reading the results directory failed", e);
      err.println("echo-lstm: " + Main.withCause(e) + " (key --results)");
      return Main.BAD_INPUT;
    }

    String stage = "starting Spark";
    SparkSession spark = null;
    Termination.Guard running = termination.guard(() -> "no report was written");
    try {
      spark = SparkSetup.startSpark("echo-lstm report");
      stage = "reading the results table";
      // Named runs: only their partitions are read; otherwise every run (the latest is picked).
      ResultsTable table = new ResultsTable(spark, results);
      Dataset<Row> rows =
          wanted.isEmpty()
              ? table.read()
              : wanted.stream().map(table::run).reduce(Dataset::union).orElseThrow();
      List<Row> read = rows.collectAsList();
      List<PointResult> points = ReportRuns.read(read, List.copyOf(wanted), results);
      List<String> reported = points.stream().map(PointResult::runId).distinct().toList();
      Path target = Path.of(outDir != null ? outDir : defaultOut(reported));
      stage = "writing the report";
      Path page = Report.write(points, results, target);
      PointsFile.write(read, points, target);
      out.println(
          "report of run"
              + (reported.size() == 1 ? " " : "s ")
              + String.join(", ", reported)
              + " ("
              + points.size()
              + (points.size() == 1 ? " point" : " points")
              + "): "
              + page);
      return Main.OK;
    } catch (ReportInputException e) {
      // the table changed between the listing and the read
      err.println("echo-lstm: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (Throwable t) {
      return termination.failed(
          new Termination.Failure(
              "report",
              "while " + stage,
              "report failed while " + stage + ": " + Main.describe(t),
              t));
    } finally {
      SparkSetup.stopQuietly(spark);
      running.close();
    }
  }

  /** {@code reports/ID}, or {@code reports/ID1+ID2...}, abbreviated when it grows too long. */
  static String defaultOut(List<String> runs) {
    String name = String.join("+", runs);
    if (name.length() > MAX_DEFAULT_NAME) {
      name = runs.get(0) + "+" + (runs.size() - 1) + "-more";
    }
    return Path.of(DEFAULT_OUT_PARENT, name).toString();
  }

  /** Refuses an output path that cannot be a local, writable directory, before Spark starts. */
  static void checkOut(String dir) {
    if (dir.isBlank()) {
      throw new SettingsException("--out", "report directory must not be empty");
    }
    if (dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !dir.startsWith("file:")) {
      throw new SettingsException("--out", "report directory must be a local path: " + dir);
    }
    Path path = Path.of(dir.startsWith("file:") ? dir.replaceFirst("^file:(//)?", "") : dir);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new SettingsException("--out", "report path exists and is not a directory: " + dir);
    }
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new SettingsException("--out", "report directory is not writable: " + dir);
    }
  }
}
