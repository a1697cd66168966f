package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.testing.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command for real: {@code scripts/run.sh} submits the shaded jar through {@code
 * scripts/spark-submit} on a small echo-lag sweep; the Parquet table is then read back by Spark and
 * by DuckDB, and a rerun of the same run id trains nothing and duplicates nothing.
 */
class SweepEndToEndIT {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final String RUN_ID = "e2e";

  @TempDir Path dir;

  private record Run(int code, String out) {}

  private Run runSh(Path results) throws IOException, InterruptedException {
    // The README's command, with the same small sweep the other end-to-end tests run.
    return runSh(SweepProcess.smallSweep("0,2,3", 4, results, RUN_ID).toArray(String[]::new));
  }

  private Run runSh(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("scripts/run.sh").toString());
    command.addAll(List.of(args));
    Path log = dir.resolve("run.log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    pb.environment().put("MASTER", "local[2]");
    pb.environment().put("DRIVER_MEMORY", "2g");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("run.sh did not finish in 10 minutes:\n" + Files.readString(log));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(out);
    return new Run(p.exitValue(), out);
  }

  @Test
  void sweepThroughSparkSubmitWritesAReadableTable() throws Exception {
    Path results = dir.resolve("results");
    Run first = runSh(results);
    assertEquals(0, first.code(), first.out());
    assertTrue(first.out().contains("run e2e: 3 trained, 0 already done"), first.out());
    assertTrue(first.out().contains("test sequence 0, predicted:"), first.out());

    // DuckDB, as the README shows it.
    List<double[]> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT lag, \"window\", accuracy, chance_accuracy, loss, eval_windows,"
                    + " train_windows, control::INT, run_id"
                    + " FROM read_parquet('"
                    + results
                    + "/run_id=*/point_id=*/*.parquet', hive_partitioning=true) ORDER BY lag")) {
      while (rs.next()) {
        assertEquals(RUN_ID, rs.getString(9));
        rows.add(
            new double[] {
              rs.getInt(1),
              rs.getInt(2),
              rs.getDouble(3),
              rs.getDouble(4),
              rs.getDouble(5),
              rs.getLong(6),
              rs.getLong(7),
              rs.getInt(8)
            });
      }
    } catch (SQLException e) {
      throw new AssertionError("DuckDB could not read the table", e);
    }
    assertEquals(3, rows.size());
    for (double[] r : rows) {
      int lag = (int) r[0];
      assertEquals(0.1, r[3], 1e-12);
      assertEquals(lag >= 3 ? 350 : 400, (long) r[5], "eval windows, lag " + lag);
      assertEquals(lag >= 3 ? 2800 : 3200, (long) r[6], "train windows, lag " + lag);
      if (lag < 3) {
        assertEquals(0, (int) r[7]);
        assertTrue(r[2] >= 0.9, "lag " + lag + " inside the window learned: " + r[2]);
      } else {
        assertEquals(1, (int) r[7]);
        assertTrue(r[2] <= 0.25, "lag " + lag + " outside the window stays near chance: " + r[2]);
        assertTrue(r[4] > 1.8, "control loss stays near ln 10: " + r[4]);
      }
    }

    // Spark, with no schema given: every documented column comes back.
    SparkSession spark = SparkTestSession.start();
    try {
      Dataset<Row> table = spark.read().parquet(results.toString());
      assertEquals(3, table.count());
      for (String column :
          List.of(
              "run_id",
              "experiment",
              "variant",
              "lag",
              "window",
              "hidden",
              "seed",
              "accuracy",
              "loss",
              "chance_accuracy",
              "eval_windows",
              "train_windows",
              "train_seconds",
              "windows_per_second",
              "master",
              "spark_version",
              "dl4j_version",
              "java_version",
              "os_arch",
              "started_at",
              "ended_at",
              "batch_size",
              "averaging_frequency",
              "partitions")) {
        assertTrue(List.of(table.columns()).contains(column), "missing column " + column);
      }
      Row any = table.first();
      assertEquals("local[2]", any.getAs("master"));
      assertEquals("1.0.0-M2", any.getAs("dl4j_version"));
    } finally {
      spark.stop();
    }

    // Every point saved its model (a 3-point plan is small); predict, through spark-submit, on the
    // model of lag 0 echoes the values of a sequence it never saw.
    List<String[]> models = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT lag, model_path, accuracy FROM read_parquet('"
                    + results
                    + "/run_id=*/point_id=*/*.parquet', hive_partitioning=true) ORDER BY lag")) {
      while (rs.next()) {
        models.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      }
    }
    assertEquals(3, models.size());
    Map<Path, FileTime> modelTimes = new HashMap<>();
    for (String[] m : models) {
      Path file = results.resolve(m[1]);
      assertTrue(Files.isRegularFile(file), "lag " + m[0] + ": " + m[1]);
      modelTimes.put(file, Files.getLastModifiedTime(file));
    }
    assertEquals(List.of(), TableFiles.strays(results), "the table holds rows and their models");
    String lag0 = results.resolve(models.get(0)[1]).toString();
    Run predicted = runSh("predict", "--model", lag0, "--sequence", "3,1,4,1,5,9,2,6");
    assertEquals(0, predicted.code(), predicted.out());
    List<String> lines =
        predicted.out().lines().filter(l -> l.matches("(Expected|Predicted|model):.*")).toList();
    assertEquals(3, lines.size(), predicted.out());
    assertTrue(
        lines.get(0).startsWith("model: stateless, window 3, lag 0, values 0..9"), lines.get(0));
    // windows end at positions 2..7; lag 0 echoes each window's last value
    assertEquals("Expected:  [4, 1, 5, 9, 2, 6]", lines.get(1));
    if (Double.parseDouble(models.get(0)[2]) == 1.0) {
      assertEquals("Predicted: [4, 1, 5, 9, 2, 6]", lines.get(2), "a model at accuracy 1.0");
    } else {
      assertTrue(lines.get(2).matches("Predicted: \\[\\d(, \\d){5}\\]"), lines.get(2));
    }
    // A bad sequence through spark-submit: exit 2, one line, no stack trace.
    Run refused = runSh("predict", "--model", lag0, "--sequence", "3,14,1");
    assertEquals(2, refused.code(), refused.out());
    assertTrue(
        refused
            .out()
            .contains(
                "echo-lstm: sequence value 2 is out of range: 14 (this model reads integers 0..9)"),
        refused.out());
    assertFalse(refused.out().contains("\tat "), "no stack trace:\n" + refused.out());

    // Same run id again: every point is already committed, nothing is trained or duplicated.
    Run second = runSh(results);
    assertEquals(0, second.code(), second.out());
    assertTrue(second.out().contains("run e2e: 0 trained, 3 already done"), second.out());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM read_parquet('"
                    + results
                    + "/run_id=*/point_id=*/*.parquet')")) {
      rs.next();
      assertEquals(3, rs.getLong(1));
    }
    for (Map.Entry<Path, FileTime> e : modelTimes.entrySet()) {
      assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), "rerun kept " + e.getKey());
    }
  }
}
