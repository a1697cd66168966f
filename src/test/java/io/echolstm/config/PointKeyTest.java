package io.echolstm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Point keys name the points existing tables hold: they survive a release that adds a setting. */
class PointKeyTest {
  private static SweepPlan plan(String... sets) {
    ConfigLoader loader = new ConfigLoader();
    for (String s : sets) {
      loader.set(s);
    }
    return SweepPlan.expand(loader.load(List.of()));
  }

  private static SweepPoint point(String... sets) {
    return plan(sets).points().get(0);
  }

  /** Keys as every release so far wrote them, defaults included: they must not change. */
  @Test
  void keysAsWrittenBeforeAreUnchanged() {
    assertEquals(
        "experiment=default variant=stateless lag=1 window=5 hidden=50 seed=42 values=100"
            + " sequence_length=25 train_sequences=2000 eval_sequences=200"
            + " validation_sequences=200 partitions=4 workers=auto batch_size=128"
            + " averaging_frequency=20 prefetch=0 save_updater=true lstm=fast approach=direct"
            + " repartition=never epochs=3 learning_rate=0.01 target_accuracy=none"
            + " max_seconds=none patience=3 min_improvement=0.01 eval_every_windows=5000"
            + " eval_batch_size=256",
        point().key());
    // p + the first 16 hex digits of the key's SHA-256, as sha256sum prints it
    assertEquals("p9d92cd2545ec2a13", point().id());
    TrainSettings t =
        new TrainSettings(
            2,
            32,
            5,
            1,
            false,
            Approach.EXPORT,
            Repartitioning.NUM_PARTITIONS_WORKERS_DIFFERS,
            true,
            4,
            0.5,
            OptionalDouble.of(0.99),
            OptionalDouble.of(60),
            0,
            0.0,
            Averaging.RESIDENT);
    SweepPoint p =
        new SweepPoint(
            "x",
            Variant.WHOLE_SEQUENCE,
            2,
            3,
            7,
            -1,
            new DataSettings(10, 9, 8, 7, 6, 5),
            new ModelSettings(List.of(7, 8), LstmImplementation.DL4J, ModelSave.TRUE),
            t,
            new EvalSettings(100, 64),
            LagSearch.GRID);
    assertEquals(
        "experiment=x variant=whole-sequence lag=2 window=3 hidden=7 seed=-1 values=10"
            + " sequence_length=9 train_sequences=8 eval_sequences=7 validation_sequences=6"
            + " partitions=5 workers=2 batch_size=32 averaging_frequency=5 prefetch=1"
            + " save_updater=false lstm=dl4j approach=export"
            + " repartition=num-partitions-workers-differs epochs=4 learning_rate=0.5"
            + " target_accuracy=0.99 max_seconds=60.0 patience=0 min_improvement=0.0"
            + " eval_every_windows=100 eval_batch_size=64",
        p.key());
  }

  /**
   * A release that adds a per-point setting: here {@code train.collect-stats}, run-level today (in
   * no key, no column), stands for it, declared per point as a later release would declare its new
   * setting. At its default every key, and so every id, stays as the release before wrote it; set
   * to another value, it is in the key, so the point is a new one.
   */
  @Test
  void aSettingAddedLaterChangesNoIdAtItsDefaultAndTheIdWhenSet() {
    Setting<Boolean> added =
        Settings.TRAIN_COLLECT_STATS.perPoint(
            "collect_stats", Boolean.class, p -> p.train().collectStats());
    List<Setting<?>> after = new ArrayList<>(Settings.perPoint());
    after.add(added);
    PointSettings defaults = point();
    PointKey before = new PointKey(Settings.perPoint(), defaults);
    PointKey upgraded = new PointKey(after, defaults);

    SweepPlan plan =
        plan(
            "sweep.lags=0-2",
            "sweep.variants=stateless,seq2seq",
            "train.workers=2",
            "eval.batch-size=64");
    for (SweepPoint p : plan.points()) {
      assertEquals(p.key(), before.key(p.experiment(), p));
      assertEquals(p.key(), upgraded.key(p.experiment(), p), "at its default");
    }

    SweepPoint set = point("train.collect-stats=true");
    String key = upgraded.key(set.experiment(), set);
    assertEquals(before.key(set.experiment(), set) + " collect_stats=true", key);
    assertNotEquals(point().id(), PointKey.id(key));
    assertEquals(point().id(), PointKey.id(upgraded.key("default", point())));
  }

  /**
   * {@code seed} became a list (replicates): a point's key still holds its one seed, so {@code
   * seed=42} keys and ids are as before, alone or as the first of several seeds.
   */
  @Test
  void aListOfSeedsKeepsTheIdsOfEachSeed() {
    assertEquals("p9d92cd2545ec2a13", point("seed=42").id());
    SweepPlan replicated = plan("seed=42,7");
    assertEquals(2, replicated.points().size());
    assertEquals("p9d92cd2545ec2a13", replicated.points().get(0).id());
    assertEquals(point("seed=7").key(), replicated.points().get(1).key());
    assertTrue(replicated.points().get(1).key().contains(" seed=7 "));
  }

  /**
   * {@code sweep.lag-search}, declared after the frozen key: a grid point's key is as before, a
   * probe of a frontier search has {@code lag_search=frontier} at its end.
   */
  @Test
  void aFrontierProbeIsKeyedAsSuchAndAGridPointAsBefore() {
    assertEquals("p9d92cd2545ec2a13", point("sweep.lag-search=grid").id());
    SweepPoint probe = point("sweep.lag-search=frontier", "train.target-accuracy=0.99");
    SweepPoint grid = point("train.target-accuracy=0.99");
    assertEquals(grid.key() + " lag_search=frontier", probe.key());
    assertNotEquals(grid.id(), probe.id());
  }

  /** Every per-point setting, the moved {@code model.lstm} and {@code eval.*} too, is keyed. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "model.lstm=dl4j",
        "model.hidden=8",
        "eval.batch-size=64",
        "eval.every-windows=100",
        "train.workers=3",
        "train.epochs=4",
        "seed=7",
        "seed=7,42",
        "data.partitions=3",
        "sweep.variants=masked",
        "train.averaging=dl4j-spark"
      })
  void changingASettingChangesTheId(String assignment) {
    assertNotEquals(point().id(), point(assignment).id(), assignment);
  }

  /**
   * train.averaging came after the frozen key: its default leaves keys alone, dl4j-spark is keyed.
   */
  @Test
  void theAveragingSettingIsKeyedOnlyAwayFromItsDefault() {
    assertEquals(point().key(), point("train.averaging=resident").key());
    assertTrue(
        point("train.averaging=dl4j-spark").key().endsWith(" averaging=dl4j-spark"),
        point("train.averaging=dl4j-spark").key());
  }

  @Test
  void settingsOutsideTheKeyDoNotChangeTheId() {
    for (String assignment :
        List.of("train.collect-stats=true", "model.save=false", "sweep.concurrency=3")) {
      assertEquals(point().id(), point(assignment).id(), assignment);
    }
  }

  /** Removing a setting of the frozen key would change every id: refused when keys are built. */
  @Test
  void aFrozenEntryCannotLoseItsDeclaration() {
    List<Setting<?>> without = new ArrayList<>(Settings.perPoint());
    without.remove(Settings.EVAL_BATCH_SIZE);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new PointKey(without, point()));
    assertTrue(e.getMessage().contains("eval_batch_size"), e.getMessage());
  }
}
