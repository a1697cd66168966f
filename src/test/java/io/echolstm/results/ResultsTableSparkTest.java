package io.echolstm.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableSparkTest extends SparkTestSession {
  @TempDir Path dir;

  static ResultRow row(String runId, String pointId, double accuracy) {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    return new ResultRow(
        runId,
        pointId,
        "key of " + pointId,
        "exp",
        "stateless",
        false,
        1,
        5,
        50,
        42L,
        accuracy,
        accuracy,
        null,
        0.1,
        0.01,
        0.99,
        0.05,
        100L,
        100L,
        1000L,
        2,
        "target",
        0.99,
        2000L,
        3.5,
        List.of(
            new HistoryEntry(1, 1000, 1.5, 0.5, 0.5, 2.0),
            new HistoryEntry(2, 2000, 3.5, 0.99, null, 0.1)),
        3.5,
        1.2,
        571.4,
        0.2,
        "[1, 2]",
        "[1, 2]",
        100,
        25,
        10,
        5,
        5,
        2,
        2,
        32,
        5,
        2,
        true,
        "fast",
        "export",
        "always",
        0.01,
        4,
        null,
        3,
        0.01,
        5000,
        256,
        "local[2]",
        "3.5.7",
        "1.0.0-M2",
        "17",
        "Linux",
        "amd64",
        t,
        t.plusSeconds(4));
  }

  @Test
  void rowsRoundTripAndRewritingAPointReplacesIt() {
    ResultsTable table = new ResultsTable(spark, dir.resolve("results").toString());
    assertEquals(Set.of(), table.committedPoints("r1"));
    table.write(row("r1", "pa", 0.5));
    table.write(row("r1", "pb", 0.6));
    table.write(row("r2", "pa", 0.7));
    table.write(row("r1", "pa", 0.9));

    assertEquals(Set.of("pa", "pb"), table.committedPoints("r1"));
    assertEquals(4 - 1, table.read().count());
    List<Row> r1 = table.run("r1").orderBy("point_id").collectAsList();
    assertEquals(2, r1.size());
    assertEquals(0.9, (double) r1.get(0).getAs("accuracy"));
    assertEquals("key of pa", r1.get(0).getAs("point_key"));
    assertEquals(
        Instant.parse("2026-01-02T03:04:09Z"),
        ((java.sql.Timestamp) r1.get(0).getAs("ended_at")).toInstant());
    assertEquals(ResultsSchema.SCHEMA.fieldNames().length, table.read().columns().length);
    List<Row> history = r1.get(0).getList(r1.get(0).fieldIndex("history"));
    assertEquals(2, history.size());
    assertEquals(0.99, (double) history.get(1).getAs("accuracy"));
    assertNull(history.get(1).getAs("reachable_accuracy"));
    assertEquals(2000L, (long) r1.get(0).getAs("windows_to_target"));
  }

  /** Issue 8: files the table did not write, kept in its directory, broke reading it. */
  @Test
  void foreignFilesInTheDirectoryAreIgnored() throws java.io.IOException {
    Path results = dir.resolve("results");
    ResultsTable table = new ResultsTable(spark, results.toString());
    assertEquals(0, table.read().count());
    java.nio.file.Files.createDirectories(results);
    java.nio.file.Files.writeString(results.resolve("README.txt"), "notes");
    spark
        .range(3)
        .toDF("other")
        .write()
        .parquet(results.resolve("elsewhere").resolve("other.parquet").toString());
    table.write(row("r1", "pa", 0.5));
    java.nio.file.Files.writeString(results.resolve("run_id=r1").resolve("notes.txt"), "x");
    java.nio.file.Files.writeString(
        results.resolve("run_id=r1").resolve("point_id=pa").resolve("README"), "x");
    table.write(row("r2", "pb", 0.6));

    assertEquals(2, table.read().count());
    List<Row> r1 = table.run("r1").collectAsList();
    assertEquals(1, r1.size());
    assertEquals("pa", r1.get(0).getAs("point_id"));
    assertEquals("r1", r1.get(0).getAs("run_id"));
    assertEquals(0, table.run("r3").count());
    assertEquals(Set.of("pa"), table.committedPoints("r1"));
    assertEquals("notes", java.nio.file.Files.readString(results.resolve("README.txt")));
    assertEquals(
        3,
        spark
            .read()
            .parquet(results.resolve("elsewhere").resolve("other.parquet").toString())
            .count());
  }

  /**
   * A run's lease and plan record live in its {@code run_id=R} directory: Spark's own partition
   * discovery (a plain {@code spark.read().parquet(dir)}), the table's reads and its listing of
   * committed points must not see them, also in a run directory that holds no point yet.
   */
  @Test
  void theRunsLeaseAndPlanRecordAreInvisibleToReaders() throws java.io.IOException {
    Path results = dir.resolve("results");
    ResultsTable table = new ResultsTable(spark, results.toString());
    table.write(row("r1", "pa", 0.5));
    var fs = org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    var r1 = new org.apache.hadoop.fs.Path(results.resolve("run_id=r1").toUri());
    var r2 = new org.apache.hadoop.fs.Path(results.resolve("run_id=r2").toUri());
    RunLease.Timing timing = RunLease.Timing.DEFAULT;
    try (RunLease lease1 = RunLease.take(fs, r1, "r1", timing);
        RunLease lease2 = RunLease.take(fs, r2, "r2", timing)) {
      RunRecord record =
          new RunRecord(
              "r1", "local[2]", 2, "2026-01-02T03:04:05Z", List.of(new RunRecord.Point("pa", "k")));
      record.write(fs, r1);
      record.write(fs, r2);
      assertEquals(
          List.of(RunLease.FILE, RunRecord.FILE, "point_id=pa"),
          names(results.resolve("run_id=r1")));
      assertEquals(List.of(RunLease.FILE, RunRecord.FILE), names(results.resolve("run_id=r2")));

      List<Row> plain = spark.read().parquet(results.toString()).collectAsList();
      assertEquals(1, plain.size());
      assertEquals("r1", plain.get(0).getAs("run_id"));
      assertEquals("pa", plain.get(0).getAs("point_id"));
      assertEquals(1, table.read().count());
      assertEquals(0, table.run("r2").count());
      assertEquals(Set.of("pa"), table.committedPoints("r1"));
      assertEquals(Set.of(), table.committedPoints("r2"));
      // A point written while the lease is held leaves both files in place.
      table.write(row("r1", "pb", 0.6));
      assertEquals(
          List.of(RunLease.FILE, RunRecord.FILE, "point_id=pa", "point_id=pb"),
          names(results.resolve("run_id=r1")));
      assertEquals(2, spark.read().parquet(results.toString()).count());
    }
  }

  private static List<String> names(Path dir) throws java.io.IOException {
    try (var s = java.nio.file.Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
