package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echolstm.config.ConfigLoader;
import io.echolstm.results.ResultsTable;
import io.echolstm.testing.ComparableRows;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Points trained several at a time give the table a sequential run gives. */
class ConcurrentSweepSparkTest extends SparkTestSession {
  @TempDir Path dir;

  private Map<String, Map<String, Object>> sweep(
      ResultsTable table, String runId, int concurrency) {
    ConfigLoader loader =
        new ConfigLoader()
            .set("data.values=10")
            .set("data.sequence-length=8")
            .set("data.train-sequences=200")
            .set("data.eval-sequences=20")
            .set("data.validation-sequences=20")
            .set("data.partitions=2")
            .set("model.hidden=8")
            .set("sweep.windows=3")
            .set("sweep.lags=0,1,2,3")
            .set("train.workers=1")
            .set("train.batch-size=16")
            .set("train.epochs=2")
            .set("eval.every-windows=400")
            .set("sweep.concurrency=" + concurrency);
    SweepPlan plan = SweepPlan.expand(loader.load(List.of()));
    SweepRunner runner = new SweepRunner(spark, table, runId, false);
    assertEquals(concurrency, runner.concurrency(plan));
    SweepRunner.Summary summary = GuardedRun.run(runner, spark, table, runId, plan);
    assertEquals(4, summary.trained());
    return ComparableRows.byPoint(table.run(runId).collectAsList(), runId);
  }

  @Test
  void aConcurrentSweepWritesTheSequentialTable() {
    ResultsTable table = new ResultsTable(spark, dir.resolve("results").toString());
    Map<String, Map<String, Object>> sequential = sweep(table, "one-at-a-time", 1);
    Map<String, Map<String, Object>> concurrent = sweep(table, "two-at-a-time", 2);
    assertEquals(4, sequential.size());
    assertEquals(sequential, concurrent);
  }
}
