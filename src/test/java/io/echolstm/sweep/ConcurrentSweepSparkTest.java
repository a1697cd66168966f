package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echolstm.config.ConfigLoader;
import io.echolstm.results.ResultsTable;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Points trained several at a time give the table a sequential run gives. */
class ConcurrentSweepSparkTest extends SparkTestSession {
  /** Columns that measure time, not results (also inside history entries), and the run id. */
  private static final Set<String> TIMING =
      Set.of(
          "run_id",
          "train_seconds",
          "prepare_seconds",
          "windows_per_second",
          "seconds_to_target",
          "started_at",
          "ended_at");

  @TempDir Path dir;

  private Map<String, String> sweep(ResultsTable table, String runId, int concurrency) {
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
    SweepRunner.Summary summary = runner.run(plan);
    assertEquals(4, summary.trained());
    Map<String, String> rows = new TreeMap<>();
    for (Row r : table.run(runId).collectAsList()) {
      rows.put(r.getAs("point_id"), comparable(r));
    }
    return rows;
  }

  /** The row as text without its timing fields, at any nesting level. */
  private static String comparable(Row row) {
    StringBuilder out = new StringBuilder();
    for (String field : row.schema().fieldNames()) {
      if (TIMING.contains(field)) {
        continue;
      }
      Object v = row.getAs(field);
      if (v instanceof scala.collection.Seq<?> seq) {
        out.append(field).append("=[");
        scala.collection.Iterator<?> it = seq.iterator();
        while (it.hasNext()) {
          Object e = it.next();
          out.append(e instanceof Row r ? comparable(r) : String.valueOf(e)).append(';');
        }
        out.append("] ");
      } else {
        out.append(field).append('=').append(v).append(' ');
      }
    }
    return out.toString();
  }

  @Test
  void aConcurrentSweepWritesTheSequentialTable() {
    ResultsTable table = new ResultsTable(spark, dir.resolve("results").toString());
    Map<String, String> sequential = sweep(table, "one-at-a-time", 1);
    Map<String, String> concurrent = sweep(table, "two-at-a-time", 2);
    assertEquals(4, sequential.size());
    assertEquals(sequential, concurrent);
  }
}
