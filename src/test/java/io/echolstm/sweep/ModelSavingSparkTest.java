package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.model.ModelInfo;
import io.echolstm.predict.Predictor;
import io.echolstm.results.ResultsTable;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each point's network is saved under the table before its row is committed, the row names it, a
 * rerun keeps it, and Spark's own reading of the directory does not see it.
 */
class ModelSavingSparkTest extends SparkTestSession {
  @TempDir Path dir;

  private static SweepPlan plan(String save) {
    return SweepPlan.expand(TinySweep.loader().set("model.save=" + save).load(List.of()));
  }

  @Test
  void eachPointSavesItsModelBeforeItsRowAndARerunKeepsIt() throws Exception {
    Path results = dir.resolve("results");
    ResultsTable table = new ResultsTable(spark, results.toString());
    SweepPlan plan = plan("auto");
    List<String> missingAtCommit = new ArrayList<>();
    GuardedRun.run(
        spark,
        table,
        "r",
        plan,
        s ->
            Stages.withCommit(
                s,
                (p, row) -> {
                  if (!Files.isRegularFile(
                      results.resolve("_models/run_id=r/point_id=" + p.point().id() + ".zip"))) {
                    missingAtCommit.add(p.point().label());
                  }
                  s.commit().commit(p, row);
                }));
    assertEquals(List.of(), missingAtCommit, "points committed before their model was saved");

    List<Row> rows = table.run("r").collectAsList();
    assertEquals(2, rows.size());
    Map<Path, FileTime> saved = new HashMap<>();
    for (Row row : rows) {
      String pointId = row.getAs("point_id");
      String path = row.getAs("model_path");
      assertEquals("_models/run_id=r/point_id=" + pointId + ".zip", path);
      Path file = results.resolve(path);
      saved.put(file, Files.getLastModifiedTime(file));
      ModelInfo info = Predictor.load(file.toString(), new Configuration()).info();
      assertEquals(row.<String>getAs("variant"), info.variant().id());
      assertEquals((int) row.getAs("window"), info.window());
      assertEquals((int) row.getAs("lag"), info.lag());
      assertEquals((int) row.getAs("values"), info.values());
      assertEquals((int) row.getAs("hidden"), info.hidden());
      assertEquals(pointId, info.pointId());
      assertEquals(row.<String>getAs("point_key"), info.pointKey());
      assertEquals("r", info.runId());
    }
    // Spark's partition discovery, with no schema, skips the _models directory.
    assertEquals(2, spark.read().parquet(results.toString()).count());

    // A rerun skips the committed points and leaves their models alone.
    SweepRunner.Summary again = GuardedRun.run(spark, table, "r", plan);
    assertEquals(0, again.trained());
    for (Map.Entry<Path, FileTime> e : saved.entrySet()) {
      assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), e.getKey().toString());
    }
  }

  @Test
  void withModelSaveFalseNothingIsSavedAndTheColumnIsNull() {
    Path results = dir.resolve("results");
    ResultsTable table = new ResultsTable(spark, results.toString());
    GuardedRun.run(spark, table, "off", plan("false"));
    List<Row> rows = table.run("off").collectAsList();
    assertEquals(2, rows.size());
    for (Row row : rows) {
      assertNull(row.getAs("model_path"));
    }
    assertFalse(Files.exists(results.resolve("_models")));
    assertTrue(Files.isDirectory(results.resolve("run_id=off")));
  }
}
