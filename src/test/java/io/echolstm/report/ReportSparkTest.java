package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echolstm.results.ResultsSchema;
import io.echolstm.results.ResultsTable;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads a table written the way the job writes it, including an older one. */
class ReportSparkTest extends SparkTestSession {
  @TempDir Path dir;

  private static Row row(String run, int lag, double accuracy, String endedAt) {
    Object[] v = new Object[ResultsSchema.SCHEMA.size()];
    set(v, "run_id", run);
    set(v, "point_id", "p" + lag);
    set(v, "experiment", "echo-lag");
    set(v, "variant", "stateless");
    set(v, "control", lag >= 5);
    set(v, "lag", lag);
    set(v, "window", 5);
    set(v, "hidden", 50);
    set(v, "values", 100);
    set(v, "accuracy", accuracy);
    set(v, "loss", 0.5);
    set(v, "chance_accuracy", 0.01);
    set(v, "train_windows", 4000L);
    set(v, "windows_per_second", 1234.5);
    set(v, "learning_rate", 0.01);
    set(v, "master", "local[2]");
    set(v, "ended_at", Timestamp.from(Instant.parse(endedAt)));
    set(
        v,
        "history",
        List.of(
            RowFactory.create(1, 2000L, 0.5, 0.5, 0.5, 2.0),
            RowFactory.create(1, 4000L, 1.0, 0.995, null, 0.1)));
    return RowFactory.create(v);
  }

  private static void set(Object[] values, String column, Object value) {
    values[ResultsSchema.SCHEMA.fieldIndex(column)] = value;
  }

  private void write(Dataset<Row> rows, Path table) {
    rows.write()
        .mode(SaveMode.Append)
        .partitionBy(ResultsSchema.RUN_ID, ResultsSchema.POINT_ID)
        .parquet(table.toString());
  }

  @Test
  void readsTheRowsOfTheLatestRunOrOfTheNamedOnes() throws Exception {
    Path table = dir.resolve("results");
    write(
        spark.createDataFrame(
            List.of(
                row("r1", 0, 1.0, "2026-01-01T00:00:00Z"),
                row("r2", 0, 0.9, "2026-01-02T00:00:00Z"),
                row("r2", 5, 0.01, "2026-01-02T00:00:01Z")),
            ResultsSchema.SCHEMA),
        table);
    List<Row> rows = new ResultsTable(spark, table.toString()).read().collectAsList();

    List<PointResult> latest = ReportRuns.read(rows, List.of(), "results");
    assertEquals(2, latest.size());
    PointResult p = latest.get(0);
    assertEquals("r2", p.runId());
    assertEquals("p0", p.pointId());
    assertEquals(0, p.lag());
    assertEquals(0.9, p.accuracy());
    assertEquals(1234.5, p.windowsPerSecond());
    assertEquals(Instant.parse("2026-01-02T00:00:00Z"), p.endedAt());
    assertEquals(2, p.history().size());
    assertEquals(new PointResult.Evaluation(1, 4000L, 1.0, 0.995, null, 0.1), p.history().get(1));
    assertEquals("0.01", p.columns().get("learning_rate"));
    assertEquals("local[2]", p.columns().get("master"));
    assertTrue(latest.get(1).control());

    // points.jsonl: the same rows, every column, for scripts with no Parquet reader.
    Path file = PointsFile.write(rows, latest, dir.resolve("report"));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertEquals(2, lines.size());
    JsonNode first = lines.get(0);
    assertEquals("r2", first.get("run_id").asText());
    assertEquals("p0", first.get("point_id").asText());
    assertEquals("p5", lines.get(1).get("point_id").asText(), "in the page's order");
    assertEquals(0.9, first.get("accuracy").asDouble());
    assertEquals(1234.5, first.get("windows_per_second").asDouble());
    assertEquals(4000, first.get("history").get(1).get("train_windows").asLong());
    assertEquals(1.0, first.get("history").get(1).get("train_seconds").asDouble());
    assertTrue(first.get("history").get(1).get("loss").isNumber());
    assertTrue(first.get("history").get(1).get("reachable_accuracy").isNull());
    assertTrue(first.get("train_seconds").isNull());
    assertEquals("2026-01-02T00:00:00Z", first.get("ended_at").asText());
    assertEquals(ResultsSchema.SCHEMA.size(), first.size(), "every column: " + first);

    assertEquals(1, ReportRuns.read(rows, List.of("r1"), "results").size());
    ReportInputException unknown =
        assertThrows(
            ReportInputException.class, () -> ReportRuns.read(rows, List.of("r3"), "results"));
    assertEquals(
        "run id 'r3' is not in the results table results (runs: r1, r2)", unknown.getMessage());
  }

  @Test
  void aTableFromAnOlderVersionWithoutSomeColumnsIsReported() throws Exception {
    Path table = dir.resolve("results");
    write(
        spark
            .createDataFrame(
                List.of(row("old", 1, 0.98, "2026-01-01T00:00:00Z")), ResultsSchema.SCHEMA)
            .drop("history", "windows_per_second", "chance_accuracy", "ended_at", "learning_rate"),
        table);
    List<Row> rows = new ResultsTable(spark, table.toString()).read().collectAsList();
    List<PointResult> points = ReportRuns.read(rows, List.of(), "results");
    assertEquals(1, points.size());
    PointResult p = points.get(0);
    assertEquals("old", p.runId());
    assertEquals(0.98, p.accuracy());
    assertTrue(p.history().isEmpty());
    assertNull(p.windowsPerSecond());
    assertNull(p.endedAt());
    assertNull(p.chanceAccuracy());
    assertEquals(0.01, p.chance(), "chance from the values column");

    Path page = Report.write(points, "results", dir.resolve("report"));
    String html = Files.readString(page);
    assertTrue(html.contains("Run old: 1 point"), html);
    assertEquals(
        7, Files.list(dir.resolve("report")).filter(f -> f.toString().endsWith(".png")).count());
  }

  @Test
  void noTableThereIsBadInput() {
    List<Row> rows =
        new ResultsTable(spark, dir.resolve("nothing").toString()).read().collectAsList();
    ReportInputException e =
        assertThrows(ReportInputException.class, () -> ReportRuns.read(rows, List.of(), "nothing"));
    assertEquals(
        "no results table in nothing (no run_id=*/point_id=*/*.parquet files)", e.getMessage());
  }
}
