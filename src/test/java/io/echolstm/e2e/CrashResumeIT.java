package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.e2e.SweepProcess.Outcome;
import io.echolstm.e2e.SweepProcess.Sandbox;
import io.echolstm.results.ResultsSchema;
import io.echolstm.testing.SparkTestSession;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's resume promise under hard crashes: the driver (with every process under it) is
 * SIGKILLed, and the table must show readers - DuckDB with the README's query, and Spark - the same
 * committed rows and nothing half-written; rerunning the same run id must finish the sweep with one
 * row per point and leave nothing behind.
 *
 * <p>Two crash points: right after the first point of a 3-point sweep is committed (the rerun must
 * skip it and train the other two), and in the middle of writing a point's row (its Parquet file
 * exists only in Spark's {@code .spark-staging-*} directory of the table).
 */
class CrashResumeIT {
  private static final String RUN_ID = "crash-resume";
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern FIRST_STARTED =
      Pattern.compile("point 1/3 \\[.*\\]: starting, point id (p[0-9a-f]{16})");
  private static final Pattern FIRST_COMMITTED = Pattern.compile("point 1/3 \\[.*; committed$");
  private static final Pattern TOOK_OVER =
      Pattern.compile(
          "took over the lease of a driver that stopped .*process \\d+ on this host is gone");

  @TempDir Path dir;

  @Test
  void aKilledDriverLosesOnlyThePointInFlightAndTheRerunFinishesTheSweep() throws Exception {
    Path results = dir.resolve("results");
    // One sandbox for both launches: the rerun finds what the crash left, as it would for real.
    Sandbox sandbox = Sandbox.in(dir.resolve("sandbox"));
    // One point at a time, so "the point in flight" is one point.
    List<String> args =
        SweepProcess.smallSweep("0,2,3", 4, results, RUN_ID, "--set", "sweep.concurrency=1");

    String firstPoint;
    Outcome killed;
    try (SweepProcess run =
        SweepProcess.start(dir.resolve("killed"), sandbox, "local[2]", List.of(), args)) {
      firstPoint = run.awaitLine(FIRST_STARTED, RUN_TIMEOUT).group(1);
      run.awaitLine(FIRST_COMMITTED, RUN_TIMEOUT);
      killed = run.killTree();
    }
    System.out.println(killed.report());
    // 128 + SIGKILL: the driver died, it did not exit on its own.
    assertEquals(137, killed.code(), killed.tail());
    assertFalse(killed.stdout().contains("already done"), "no summary after a crash");
    assertFalse(
        killed.stderr().matches("(?s).*point [23]/3 [^\\n]*; committed.*"),
        "only point 1 was committed before the kill:\n" + killed.tail());

    // After the crash: exactly the committed point, and nothing half-written next to it but, at
    // most, the hidden temporary model file of the next point: its model is saved while the point
    // after it trains, so the kill can land mid-write; the rerun removes it (README, Reliability).
    List<String> strays = TableFiles.strays(results);
    assertTrue(
        strays.stream()
            .allMatch(
                s ->
                    s.matches(
                        "_models/run_id="
                            + RUN_ID
                            + "/\\.\\.?point_id=p[0-9a-f]{16}\\.zip\\.tmp(\\.crc)?")),
        "leftovers in the table after the crash: " + strays);
    List<Map<String, Object>> afterCrash =
        TableFiles.duckDb(results, "run_id, point_id, lag, accuracy", "");
    assertEquals(1, afterCrash.size(), "rows DuckDB sees after the crash: " + afterCrash);
    assertEquals(RUN_ID, afterCrash.get(0).get("run_id"));
    assertEquals(firstPoint, afterCrash.get(0).get("point_id"));
    assertEquals(0, afterCrash.get(0).get("lag"));
    String firstPointFile = dataFile(results, firstPoint);
    SparkSession spark = SparkTestSession.start();
    try {
      Dataset<Row> table = spark.read().parquet(results.toString());
      assertEquals(1, table.count(), "rows Spark sees after the crash");
      assertEquals(firstPoint, table.first().getAs("point_id"));
    } finally {
      spark.stop();
    }
    List<String> crashLeftovers = sandbox.tmpLeftovers();
    System.out.println("left in the driver's temp dirs by the killed run: " + crashLeftovers);

    // The killed driver's lease stays; the rerun on this host takes it over at once (its process
    // is gone), and a second driver on the live run is refused without touching it.
    assertEquals(1, TableFiles.leases(results).size(), "the killed driver's lease");

    // The rerun of the same run id: skips the committed point, trains the two others.
    Outcome rerun;
    Outcome second;
    try (SweepProcess run =
        SweepProcess.start(dir.resolve("rerun"), sandbox, "local[2]", List.of(), args)) {
      run.awaitLine(TOOK_OVER, RUN_TIMEOUT);
      try (SweepProcess other =
          SweepProcess.start(dir.resolve("second"), sandbox, "local[2]", List.of(), args)) {
        second = other.await(RUN_TIMEOUT);
      }
      assertTrue(run.isAlive(), "the rerun was still running when the second driver was refused");
      rerun = run.await(RUN_TIMEOUT);
    }
    System.out.println(second.report());
    assertEquals(2, second.code(), second.tail());
    assertTrue(
        second
            .stderr()
            .matches(
                "(?s).*echo-lstm: run "
                    + RUN_ID
                    + " is being written by another driver \\(host [^,]+, pid \\d+, .*"),
        second.tail());
    assertFalse(second.stderr().contains("\tat "), "no stack trace: " + second.tail());
    System.out.println(rerun.report());
    assertEquals(0, rerun.code(), rerun.tail());
    assertEquals(List.of(), TableFiles.leases(results), "the rerun released its lease");
    assertTrue(
        rerun.stdout().contains("run " + RUN_ID + ": 2 trained, 1 already done"), rerun.stdout());
    assertTrue(
        rerun.stderr().matches("(?s).*point 1/3 \\[[^\\n]*\\]: already in run " + RUN_ID + ".*"),
        "the rerun skipped point 1:\n" + rerun.tail());

    assertEquals(List.of(), TableFiles.strays(results), "leftovers in the table after the rerun");
    List<Map<String, Object>> rows =
        TableFiles.duckDb(
            results,
            "run_id, point_id, lag, control, accuracy, count(*) OVER (PARTITION BY point_id) AS n",
            "ORDER BY lag");
    assertEquals(3, rows.size(), "one row per point: " + rows);
    assertEquals(List.of(0, 2, 3), rows.stream().map(r -> r.get("lag")).toList());
    for (Map<String, Object> r : rows) {
      assertEquals(1L, ((Number) r.get("n")).longValue(), "duplicate point: " + r);
      assertEquals(RUN_ID, r.get("run_id"));
      double accuracy = (Double) r.get("accuracy");
      if ((Boolean) r.get("control")) {
        assertTrue(accuracy <= 0.25, "control stays near chance: " + r);
      } else {
        assertTrue(accuracy >= 0.9, "lag inside the window learned: " + r);
      }
    }
    assertEquals(
        firstPointFile,
        dataFile(results, firstPoint),
        "the committed point was not written again by the rerun");
    spark = SparkTestSession.start();
    try {
      Dataset<Row> table = spark.read().parquet(results.toString());
      assertEquals(3, table.count());
      assertEquals(3, table.select("point_id").distinct().count());
    } finally {
      spark.stop();
    }

    // Temp files. A SIGKILLed JVM runs no shutdown hooks, so the killed driver's own scratch may
    // stay: Spark's local dirs (spark-*, blockmgr-*) and the native libraries lz4-java and
    // snappy-java copy to java.io.tmpdir and delete on exit. Anything else is a leak, and so is
    // anything under hadoop.tmp.dir (dl4j-spark's export dirs) once the sweep is complete.
    List<String> rerunLeftovers = new ArrayList<>(sandbox.tmpLeftovers());
    rerunLeftovers.removeAll(crashLeftovers);
    String hadoopTmp = sandbox.tmp().relativize(sandbox.hadoopTmp()).toString();
    List<String> unexpectedCrashLeftovers =
        crashLeftovers.stream()
            .filter(p -> !p.matches("(spark|blockmgr)-[0-9a-f-]{36}(/.*)?"))
            .filter(p -> !p.matches("[^/]+\\.so(\\.lck)?"))
            .filter(p -> !p.startsWith(hadoopTmp + "/"))
            .toList();
    assertAll(
        "temp files",
        () -> assertEquals(List.of(), TableFiles.tree(sandbox.work()), "files in the working dir"),
        () ->
            assertEquals(
                List.of(), unexpectedCrashLeftovers, "killed run: left outside its own scratch"),
        () -> assertEquals(List.of(), rerunLeftovers, "left in temp dirs by the rerun"),
        () ->
            assertEquals(
                List.of(),
                TableFiles.tree(sandbox.hadoopTmp()),
                "left under hadoop.tmp.dir (dl4j export dirs) after the resumed sweep completed"));
  }

  @Test
  void aDriverKilledWhileWritingARowLeavesNothingForReaders() throws Exception {
    Path results = dir.resolve("results");
    Sandbox sandbox = Sandbox.in(dir.resolve("sandbox"));
    String runId = "crash-in-write";
    List<String> args = SweepProcess.smallSweep("0", 4, results, runId);

    Path staged;
    Outcome killed;
    try (SweepProcess run =
        SweepProcess.start(dir.resolve("killed"), sandbox, "local[2]", List.of(), args)) {
      staged = awaitStagedDataFile(results, run, RUN_TIMEOUT);
      killed = run.killTree();
    }
    System.out.println(killed.report());
    assertEquals(137, killed.code(), killed.tail());
    List<String> afterCrash = TableFiles.tree(results);
    System.out.println("killed with " + results.relativize(staged) + "; table: " + afterCrash);

    // Judged after the rerun, so one run reports every finding; the readers are asked now.
    List<Executable> checks = new ArrayList<>();
    SparkSession spark = SparkTestSession.start();
    long sparkRows;
    try {
      // With the schema given: a table holding no committed file yet is empty, not an error.
      sparkRows = spark.read().schema(ResultsSchema.SCHEMA).parquet(results.toString()).count();
    } finally {
      spark.stop();
    }
    checks.add(
        now(
            () ->
                assertEquals(
                    sparkRows,
                    TableFiles.duckDb(results, "point_id", "").size(),
                    "after the crash, DuckDB sees the rows Spark sees; table: " + afterCrash)));

    Outcome rerun;
    try (SweepProcess run =
        SweepProcess.start(dir.resolve("rerun"), sandbox, "local[2]", List.of(), args)) {
      rerun = run.await(RUN_TIMEOUT);
    }
    System.out.println(rerun.report());
    assertEquals(0, rerun.code(), rerun.tail());
    assertTrue(rerun.stdout().contains("run " + runId + ": 1 trained"), rerun.stdout());
    checks.add(
        () ->
            assertEquals(
                List.of(), TableFiles.strays(results), "left in the table after the rerun"));
    checks.add(
        () ->
            assertEquals(
                1,
                TableFiles.duckDb(results, "point_id", "").size(),
                "rows DuckDB sees after the rerun; table: " + TableFiles.tree(results)));
    checks.add(
        () -> {
          SparkSession s = SparkTestSession.start();
          try {
            assertEquals(1, s.read().parquet(results.toString()).count(), "rows Spark sees");
          } finally {
            s.stop();
          }
        });
    checks.add(
        () -> assertEquals(List.of(), TableFiles.tree(sandbox.work()), "files in the working dir"));
    assertAll("a crash while writing a row", checks);
  }

  /**
   * Polls the table directory (every 5 ms) until a Parquet file exists under one of Spark's staging
   * directories, i.e. a row is being written and not yet committed.
   */
  private static Path awaitStagedDataFile(Path results, SweepProcess run, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && run.isAlive()) {
      try (Stream<Path> top = Files.isDirectory(results) ? Files.list(results) : Stream.empty()) {
        for (Path staging :
            top.filter(p -> p.getFileName().toString().startsWith(".spark-staging-")).toList()) {
          try (Stream<Path> files = Files.walk(staging)) {
            Optional<Path> data =
                files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst();
            if (data.isPresent()) {
              return data.get();
            }
          }
        }
      } catch (NoSuchFileException | UncheckedIOException e) {
        // Spark renamed or deleted a directory while we listed it: look again.
      }
      Thread.sleep(5);
    }
    throw new AssertionError("never saw a staged Parquet file (run alive: " + run.isAlive() + ")");
  }

  /** Runs a check now and returns it as an executable that reports its outcome later. */
  private static Executable now(Executable check) {
    try {
      check.execute();
      return () -> {};
    } catch (Throwable t) {
      return () -> {
        throw t;
      };
    }
  }

  /** The one data file of a committed point (its name changes whenever the point is rewritten). */
  private static String dataFile(Path results, String pointId) throws java.io.IOException {
    List<String> files =
        TableFiles.tree(results).stream()
            .filter(p -> p.contains("/point_id=" + pointId + "/part-"))
            .filter(p -> p.endsWith(".parquet"))
            .toList();
    assertEquals(1, files.size(), "data files of " + pointId + ": " + files);
    return files.get(0);
  }
}
