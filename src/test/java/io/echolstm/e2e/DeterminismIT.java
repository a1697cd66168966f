package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echolstm.e2e.SweepProcess.Outcome;
import io.echolstm.e2e.SweepProcess.Sandbox;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's reproducibility promise: the same sweep with the same seed on the same master, run
 * twice under different run ids, writes the same rows, bit for bit, apart from the run id and
 * wall-clock measurements.
 */
class DeterminismIT {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Fields that measure time, not results, at any nesting level ({@code history} entries carry
   * {@code train_seconds} too); and the run id, which differs on purpose.
   */
  static final Set<String> NOT_COMPARED =
      Set.of(
          "run_id",
          "train_seconds",
          "prepare_seconds",
          "windows_per_second",
          "seconds_to_target",
          "started_at",
          "ended_at");

  @TempDir Path dir;

  @Test
  void sameSweepSameSeedSameRows() throws Exception {
    Path results = dir.resolve("results");
    List<Sandbox> sandboxes = new ArrayList<>();
    for (String runId : List.of("same-a", "same-b")) {
      Sandbox sandbox = Sandbox.in(dir.resolve(runId));
      sandboxes.add(sandbox);
      Outcome outcome;
      try (SweepProcess run =
          SweepProcess.start(
              dir.resolve(runId).resolve("logs"),
              sandbox,
              "local[2]",
              List.of(),
              SweepProcess.smallSweep("0,2,3", 4, results, runId))) {
        outcome = run.await(RUN_TIMEOUT);
      }
      System.out.println(outcome.report());
      assertEquals(0, outcome.code(), outcome.tail());
    }

    Map<String, Map<String, Object>> a;
    Map<String, Map<String, Object>> b;
    SparkSession spark = SparkTestSession.start();
    try {
      List<Row> rows = spark.read().parquet(results.toString()).collectAsList();
      a = byPoint(rows, "same-a");
      b = byPoint(rows, "same-b");
    } finally {
      spark.stop();
    }
    assertEquals(3, a.size(), "points of the first run");
    assertEquals(a.keySet(), b.keySet(), "both runs trained the same points");
    List<String> differences = new ArrayList<>();
    for (String point : a.keySet()) {
      Map<String, Object> ra = a.get(point);
      Map<String, Object> rb = b.get(point);
      for (String column : ra.keySet()) {
        if (!Objects.equals(ra.get(column), rb.get(column))) {
          differences.add(
              point
                  + " (lag "
                  + ra.get("lag")
                  + ") "
                  + column
                  + ": "
                  + ra.get(column)
                  + " vs "
                  + rb.get(column));
        }
      }
    }
    List<Executable> checks = new ArrayList<>();
    checks.add(
        () -> assertEquals(List.of(), differences, "columns that differ between the two runs"));
    // Both runs ended normally: nothing of theirs may be left anywhere.
    for (Sandbox s : sandboxes) {
      checks.add(() -> assertEquals(List.of(), TableFiles.tree(s.work()), "left in " + s.work()));
      checks.add(() -> assertEquals(List.of(), s.tmpLeftovers(), "left in " + s.tmp()));
    }
    assertAll("determinism and files left behind", checks);
  }

  /** The rows of one run by point id, each as column -> value with the timing fields dropped. */
  static Map<String, Map<String, Object>> byPoint(List<Row> rows, String runId) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Row row : rows) {
      if (runId.equals(row.getAs("run_id"))) {
        Map<String, Object> previous = out.put(row.getAs("point_id"), comparable(row));
        assertEquals(null, previous, "two rows for one point in run " + runId);
      }
    }
    return out;
  }

  private static Map<String, Object> comparable(Row row) {
    Map<String, Object> out = new LinkedHashMap<>();
    StructField[] fields = row.schema().fields();
    for (int i = 0; i < fields.length; i++) {
      if (!NOT_COMPARED.contains(fields[i].name())) {
        out.put(fields[i].name(), row.isNullAt(i) ? null : value(row, i, fields[i].dataType()));
      }
    }
    return out;
  }

  private static Object value(Row row, int i, DataType type) {
    if (type instanceof StructType) {
      return comparable(row.getStruct(i));
    }
    if (type instanceof ArrayType array && array.elementType() instanceof StructType) {
      List<Object> out = new ArrayList<>();
      for (Object element : row.getList(i)) {
        out.add(element == null ? null : comparable((Row) element));
      }
      return out;
    }
    if (type instanceof ArrayType) {
      return new ArrayList<>(row.getList(i));
    }
    return row.get(i);
  }
}
