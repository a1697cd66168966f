package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

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
}
