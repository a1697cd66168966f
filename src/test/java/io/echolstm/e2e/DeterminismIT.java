package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echolstm.e2e.SweepProcess.Outcome;
import io.echolstm.e2e.SweepProcess.Sandbox;
import io.echolstm.testing.ComparableRows;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
      a = ComparableRows.byPoint(rows, "same-a");
      b = ComparableRows.byPoint(rows, "same-b");
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
}
