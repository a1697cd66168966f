package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.model.NetworkFactory;
import io.echolstm.results.ResultsTable;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frontier search through the sweep's own stages and a real results table, on a fake trainer (an
 * untrained network, reaching its target exactly at lags 0-2 of window 3): cut short after its
 * third probe, the search resumes from the partly committed table and reuses those probes.
 */
class FrontierSweepSparkTest extends SparkTestSession {
  @TempDir Path dir;

  /** Window 3 over lags 0-7: the search probes 0, 1, 3, 7 and then 2. */
  private static SweepPlan plan() {
    return SweepPlan.expand(
        TinySweep.loader()
            .set("sweep.lags=0-7")
            .set("sweep.lag-search=frontier")
            .set("train.target-accuracy=0.99")
            .set("model.save=false")
            .load(List.of()));
  }

  /** Trains nothing: reaches the target at lags up to 2, and records the lags it was given. */
  private static PointTrainer fake(List<Integer> trained) {
    return (planned, data, stage) -> {
      SweepPoint p = planned.point();
      trained.add(p.lag());
      MultiLayerNetwork network =
          new MultiLayerNetwork(
              NetworkFactory.build(
                  p.variant(),
                  p.data().values(),
                  p.hidden(),
                  p.train().learningRate(),
                  p.seed(),
                  p.window(),
                  p.model().lstm()));
      network.init();
      boolean reached = p.lag() <= 2;
      return new PointTrainer.Trained(
          network,
          1,
          1,
          reached ? StopRule.Reason.TARGET : StopRule.Reason.PLATEAU,
          reached ? 100L : null,
          reached ? 0.5 : null,
          List.of(),
          null,
          100,
          0.5,
          0.1,
          0.1);
    };
  }

  @Test
  void aSearchCutShortResumesFromItsCommittedProbes() {
    ResultsTable table = new ResultsTable(spark, dir.resolve("results").toString());
    SweepPlan plan = plan();
    List<Integer> first = Collections.synchronizedList(new ArrayList<>());
    PointFailedException e =
        assertThrows(
            PointFailedException.class,
            () ->
                GuardedRun.run(
                    spark,
                    table,
                    "f",
                    plan,
                    s ->
                        Stages.withCommit(
                            Stages.withTrain(s, fake(first)),
                            (p, row) -> {
                              if (p.point().lag() == 7) {
                                throw new IllegalStateException("injected");
                              }
                              s.commit().commit(p, row);
                            })));
    assertEquals("committing", e.stage());
    // A row is committed while the next probe trains, and a failed commit stops the search before
    // the probe after that: the next probe (lag 2) may have trained by then, and is committed.
    assertEquals(List.of(0, 1, 3, 7), first.subList(0, 4), first.toString());
    boolean nextProbeRan = first.size() == 5;
    if (nextProbeRan) {
      assertEquals(2, first.get(4), first.toString());
    } else {
      assertEquals(4, first.size(), first.toString());
    }
    assertEquals(first.size() - 1, table.committedPoints("f").size(), "all but lag 7");

    List<Integer> second = Collections.synchronizedList(new ArrayList<>());
    SweepRunner.Summary summary =
        GuardedRun.run(spark, table, "f", plan, s -> Stages.withTrain(s, fake(second)));
    assertEquals(
        nextProbeRan ? List.of(7) : List.of(7, 2),
        second,
        "the committed probes come from the table");
    assertEquals(second.size(), summary.trained());
    assertEquals(5 - second.size(), summary.skipped());
    assertEquals(5, summary.pointIds().size());

    Map<Integer, String> rows = new TreeMap<>();
    for (Row r : table.run("f").collectAsList()) {
      assertEquals("frontier", r.getAs("lag_search"), "each probe is marked");
      assertTrue(summary.pointIds().contains(r.<String>getAs("point_id")));
      rows.put(r.getAs("lag"), r.getAs("stop_reason"));
    }
    assertEquals(Map.of(0, "target", 1, "target", 2, "target", 3, "plateau", 7, "plateau"), rows);

    // Once more: every probe of the search is committed, nothing is trained.
    List<Integer> third = Collections.synchronizedList(new ArrayList<>());
    SweepRunner.Summary again =
        GuardedRun.run(spark, table, "f", plan, s -> Stages.withTrain(s, fake(third)));
    assertEquals(List.of(), third);
    assertEquals(0, again.trained());
    assertEquals(summary.pointIds(), again.pointIds());
  }
}
