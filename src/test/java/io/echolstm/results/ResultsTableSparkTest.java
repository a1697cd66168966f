package io.echolstm.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.Setting;
import io.echolstm.config.Settings;
import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableSparkTest extends SparkTestSession {
  @TempDir Path dir;

  /** The defaults' point: a full set of settings for a row. */
  static final SweepPoint SETTINGS =
      SweepPlan.expand(new ConfigLoader().set("train.workers=2").load(List.of())).points().get(0);

  static ResultRow row(String runId, String pointId, double accuracy) {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    return new ResultRow(
        new PointIdentity(runId, pointId, "key of " + pointId, "exp", false),
        SETTINGS,
        new PointOutcome(
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
            2000L,
            3.5,
            List.of(
                new HistoryEntry(1, 1000, 1.5, 0.5, 0.5, 2.0),
                new HistoryEntry(2, 2000, 3.5, 0.99, null, 0.1)),
            3.5,
            1.2,
            0.4,
            0.3,
            571.4,
            0.2,
            "[1, 2]",
            "[1, 2]",
            ModelStore.relativePath(runId, pointId),
            t,
            t.plusSeconds(4)),
        new Provenance("local[2]", "3.5.7", "1.0.0-M2", "17", "Linux", "amd64"));
  }

  /**
   * The columns users query keep the names (and types) they had when each was hand-listed; the
   * schema is now derived from the row's records and the setting declarations, and later releases
   * only add columns (train.averaging's {@code averaging}, and the validation and test seconds so
   * far).
   */
  @Test
  void theDerivedSchemaKeepsEveryColumnName() {
    Set<String> names = Set.of(ResultsSchema.SCHEMA.fieldNames());
    String all =
        "run_id point_id point_key experiment variant control lag window hidden seed accuracy"
            + " reachable_accuracy exact_match_accuracy loss chance_accuracy validation_accuracy"
            + " validation_loss eval_windows eval_labels train_windows epochs stop_reason"
            + " target_accuracy windows_to_target seconds_to_target history train_seconds"
            + " prepare_seconds windows_per_second final_train_score sample_expected"
            + " sample_predicted model_path values sequence_length train_sequences eval_sequences"
            + " validation_sequences partitions workers batch_size averaging_frequency prefetch"
            + " save_updater lstm approach repartition learning_rate max_epochs max_seconds"
            + " patience min_improvement eval_every_windows eval_batch_size master spark_version"
            + " dl4j_version java_version os_name os_arch started_at ended_at";
    Set<String> added = Set.of("averaging", "validation_seconds", "test_seconds", "lag_search");
    Set<String> expected = new java.util.HashSet<>(Set.of(all.split(" ")));
    expected.addAll(added);
    assertEquals(expected, names);
    assertEquals(expected.size(), ResultsSchema.SCHEMA.fields().length, "no duplicates");
    assertEquals(
        List.of(
            "epoch", "train_windows", "train_seconds", "accuracy", "reachable_accuracy", "loss"),
        List.of(ResultsSchema.HISTORY_ENTRY.fieldNames()));
    assertEquals(DataTypes.TimestampType, ResultsSchema.SCHEMA.apply("started_at").dataType());
    assertEquals(DataTypes.LongType, ResultsSchema.SCHEMA.apply("windows_to_target").dataType());
    assertEquals(DataTypes.BooleanType, ResultsSchema.SCHEMA.apply("control").dataType());
  }

  /** Each setting's value lands in its declared column, read back by name. */
  @Test
  void settingColumnsHoldThePointsValues() {
    ResultsTable table = new ResultsTable(spark, dir.resolve("results").toString());
    table.write(row("r1", "pa", 0.5));
    Row r = table.run("r1").collectAsList().get(0);
    for (Setting<?> s : Settings.perPoint()) {
      assertEquals(s.pointValue(SETTINGS), r.getAs(s.column().orElseThrow()), s.key());
    }
    assertEquals(2, (int) r.getAs("workers"));
    assertEquals("stateless", r.getAs("variant"));
    assertEquals("amd64", r.getAs("os_arch"));
    assertEquals(false, r.getAs("control"));
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

  /**
   * Every path {@link ResultsPath} accepts works end to end: a row written, read back whole and by
   * run, listed as committed, read by Spark's own reader, its model saved beside it. Before issue
   * 16, {@code out/b[1]} committed a row the table then read as empty, and {@code out/a:b}
   * committed one it could not read at all.
   */
  @Test
  void acceptedPathsWorkEndToEnd() throws Exception {
    Files.createDirectories(dir.resolve("x"));
    // Every accepted oddity in one path: hidden-looking and dash segments, a '..' segment, the
    // characters ResultsPath lets through, a trailing slash.
    String written =
        dir.resolve("x/../.hidden/_under/-dash")
                .resolve("a b%20c%#d+e=f,g@h~i!j$k&l'm(n);o\"p<q>r|s^t`u caf\u00e9 \u4e2d")
                .toString()
            + "/";
    String results = ResultsPath.check(written);
    ResultsTable table = new ResultsTable(spark, results);
    table.write(ResultsTableSparkTest.row("run1", "p1", 0.5));
    table.write(ResultsTableSparkTest.row("run2", "p2", 0.7));
    assertEquals(2, table.read().count());
    assertEquals(1, table.run("run1").count());
    assertEquals(Set.of("p1"), ResultsTable.committedPoints(results, new Configuration(), "run1"));
    assertEquals(Set.of("run1", "run2"), ResultsTable.runIds(results, new Configuration()));
    assertEquals(2, spark.read().parquet(results).count());
    String model =
        new ModelStore(results, new Configuration()).save("run1", "p1", out -> out.write(7));
    assertTrue(Files.isRegularFile(Path.of(results).resolve(model)));
    // A sibling directory a glob in the path would also have matched is never read.
    String first = ResultsPath.check(dir.resolve("same").toString());
    new ResultsTable(spark, first).write(ResultsTableSparkTest.row("run1", "p1", 0.5));
    new ResultsTable(spark, dir.resolve("samf").toString())
        .write(ResultsTableSparkTest.row("run1", "p9", 0.5));
    assertEquals(1, new ResultsTable(spark, first).read().count());
  }
}
