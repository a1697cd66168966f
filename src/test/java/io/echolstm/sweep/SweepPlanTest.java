package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlanTest {
  private static SweepPlan plan(String... sets) {
    ConfigLoader loader = new ConfigLoader();
    for (String s : sets) {
      loader.set(s);
    }
    return SweepPlan.expand(loader.load(List.of()));
  }

  @Test
  void gridIsTheCartesianProductWithControlsLabelled() {
    SweepPlan plan = plan("sweep.lags=0-3", "sweep.windows=2,3", "model.hidden=8,16");
    assertEquals(4 * 2 * 2, plan.points().size());
    long controls = plan.points().stream().filter(SweepPoint::control).count();
    // lag >= window: window 2 -> lags 2,3; window 3 -> lag 3; times two hidden sizes.
    assertEquals(6, controls);
    assertTrue(plan.points().stream().allMatch(p -> p.control() == (p.lag() >= p.window())));
  }

  @Test
  void pointIdsAreStableAndDistinct() {
    SweepPlan a = plan("sweep.lags=0-3");
    SweepPlan b = plan("sweep.lags=0-3");
    List<String> idsA = a.points().stream().map(SweepPoint::id).toList();
    assertEquals(idsA, b.points().stream().map(SweepPoint::id).toList());
    Set<String> distinct = idsA.stream().collect(Collectors.toSet());
    assertEquals(4, distinct.size());
    assertTrue(idsA.get(0).matches("p[0-9a-f]{16}"));
  }

  @Test
  void anyTrainingSettingChangesTheId() {
    String base = plan().points().get(0).id();
    assertNotEquals(base, plan("train.epochs=4").points().get(0).id());
    assertNotEquals(base, plan("seed=7").points().get(0).id());
    assertNotEquals(base, plan("data.partitions=3").points().get(0).id());
    assertFalse(plan().points().get(0).key().isEmpty());
  }

  /**
   * {@code seed} lists replicates: every point of the grid once per seed, the replicates of a
   * configuration next to each other, each seed driving its own point.
   */
  @Test
  void eachSeedIsAReplicateOfEveryPoint() {
    SweepPlan plan = plan("sweep.lags=0-1", "seed=1-3");
    assertEquals(6, plan.points().size());
    assertEquals(
        List.of(1L, 2L, 3L, 1L, 2L, 3L), plan.points().stream().map(SweepPoint::seed).toList());
    assertEquals(List.of(0, 0, 0, 1, 1, 1), plan.points().stream().map(SweepPoint::lag).toList());
    assertEquals(6, plan.points().stream().map(SweepPoint::id).distinct().count());
    // the label tells replicates apart; the default seed is not named, as before
    assertTrue(plan.points().get(1).label().endsWith(" hidden=50 seed=2"));
    assertTrue(plan().points().get(0).label().endsWith(" hidden=50"));
  }

  /**
   * A frontier search plans every lag of its range (the run's recorded plan), one search per
   * configuration and seed, and trains at most its bound of them.
   */
  @Test
  void aFrontierSearchPlansItsRangeAndBoundsItsProbes() {
    SweepPlan plan =
        plan(
            "sweep.lag-search=frontier",
            "train.target-accuracy=0.99",
            "sweep.lags=0-24",
            "model.hidden=8,16",
            "seed=1-2");
    assertEquals(2 * 2 * 25, plan.points().size());
    List<SweepPlan.Search> searches = plan.searches();
    assertEquals(4, searches.size());
    for (SweepPlan.Search s : searches) {
      assertEquals(25, s.candidates().size());
      assertEquals(1, s.candidates().stream().map(SweepPoint::searchKey).distinct().count());
      assertEquals(10, s.maxProbes());
    }
    assertEquals(
        "default variant=stateless window=5 hidden=16 seed=2, lags 0-24", searches.get(3).label());
    assertEquals(40, plan.maxPoints());
    assertEquals(List.of(), plan("sweep.lags=0-24").searches());
    assertEquals(25, plan("sweep.lags=0-24").maxPoints());
    // model.save=auto counts the probes a search can make, not its candidates: 100 candidates,
    // at most 40 probes, every model saved.
    assertEquals(100, saved(plan));
  }

  /**
   * {@code conf/frontier.properties}: three variants, three hidden sizes and three seeds, 27
   * searches, with at most 198 probes of their 378 candidate points.
   */
  @Test
  void theFrontierConfigPlansItsSearches() {
    SweepPlan plan =
        SweepPlan.expand(
            new ConfigLoader().file(Path.of("conf", "frontier.properties")).load(List.of()));
    assertEquals(27, plan.searches().size());
    assertEquals(2 * 9 * 16 + 9 * 8, plan.points().size());
    assertEquals(2 * 9 * 8 + 9 * 6, plan.maxPoints());
    assertTrue(plan.points().stream().allMatch(p -> p.train().targetAccuracy().isPresent()));
  }

  private static long saved(SweepPlan plan) {
    return plan.points().stream().filter(plan::savesModel).count();
  }

  @Test
  void modelsAreSavedByDefaultWhileThePlanIsSmall() {
    // 4 x 25 = 100 points: at the limit, every model is saved
    assertEquals(100, saved(plan("sweep.lags=0-3", "model.hidden=1-25")));
    assertEquals(SweepPlan.AUTO_SAVE_MAX_POINTS, 100);
    // 101 points: none by default, all when asked
    SweepPlan big = plan("sweep.lags=0", "model.hidden=1-101");
    assertEquals(101, big.points().size());
    assertEquals(0, saved(big));
    assertEquals(101, saved(plan("sweep.lags=0", "model.hidden=1-101", "model.save=true")));
    assertEquals(0, saved(plan("sweep.lags=0-3", "model.save=false")));
  }

  @Test
  void modelSaveIsPerExperimentAndOutsideThePointKey(@TempDir Path dir) throws IOException {
    Path conf =
        Files.writeString(
            dir.resolve("two.properties"),
            "experiments = a, b\nsweep.lags = 0-2\nexperiment.a.model.save = false\n");
    SweepPlan plan = SweepPlan.expand(new ConfigLoader().file(conf).load(List.of()));
    assertEquals(6, plan.points().size());
    for (SweepPoint p : plan.points()) {
      assertEquals(p.experiment().equals("b"), plan.savesModel(p), p.label());
    }
    SweepPlan off = plan("sweep.lags=0-2", "model.save=false");
    SweepPlan on = plan("sweep.lags=0-2", "model.save=true");
    assertEquals(
        off.points().stream().map(SweepPoint::id).toList(),
        on.points().stream().map(SweepPoint::id).toList(),
        "saving a model does not change the point");
    assertFalse(on.points().get(0).key().contains("save="), on.points().get(0).key());
  }
}
