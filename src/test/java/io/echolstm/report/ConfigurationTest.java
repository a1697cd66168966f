package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Points that differ only in their seed are one configuration; anything else makes another. */
class ConfigurationTest {
  private static final PointResult LAG_4 = Points.tutorial("r1").get(4);

  @Test
  void replicatesOfOneConfigurationAreGroupedInTheOrderOfTheirFirstPoint() {
    PointResult lag0 = Points.tutorial("r1").get(2);
    List<PointResult> points =
        List.of(
            Points.seed(LAG_4, 1, 0.99),
            Points.seed(lag0, 1, 1.0),
            Points.seed(LAG_4, 2, 0.98),
            Points.seed(lag0, 2, 1.0),
            Points.seed(LAG_4, 3, 0.97));
    List<Configuration> configurations = Configuration.of(points);
    assertEquals(2, configurations.size());
    Configuration first = configurations.get(0);
    assertEquals(3, first.n());
    assertEquals(List.of("1", "2", "3"), first.points().stream().map(PointResult::seed).toList());
    assertEquals(0.98, first.interval(PointResult::accuracy).mean(), 1e-12);
    assertEquals(2, configurations.get(1).n());
  }

  /** Every other setting, the run and the experiment keep points apart. */
  @Test
  void anyOtherDifferenceMakesAnotherConfiguration() {
    List<PointResult> points = new ArrayList<>();
    points.add(Points.seed(LAG_4, 1, 0.99));
    points.add(Points.with(LAG_4, Map.of("seed", "2", "learning_rate", "0.02"), 0.9, null));
    points.add(Points.with(LAG_4, Map.of("seed", "3", "lag_search", "frontier"), 0.9, null));
    points.add(Points.with(LAG_4, Map.of("seed", "4", "batch_size", "64"), 0.9, null));
    points.add(Points.seed(Points.tutorial("r2").get(4), 5, 0.99));
    points.add(Points.seed(Points.tutorial("r1").get(3), 6, 0.99)); // lag 1
    PointResult otherExperiment = Points.point("r1", "other", 4, 5, 50, 0.99, 0.1, List.of());
    points.add(Points.seed(otherExperiment, 7, 0.99));
    List<Configuration> configurations = Configuration.of(points);
    assertEquals(points.size(), configurations.size());
    configurations.forEach(c -> assertEquals(1, c.n()));
  }

  @Test
  void stopReasonsAreCounted() {
    Configuration c =
        Configuration.of(
                List.of(
                    Points.with(LAG_4, Map.of("seed", "1"), 0.99, 1000L),
                    Points.with(LAG_4, Map.of("seed", "2"), 0.5, null),
                    Points.with(LAG_4, Map.of("seed", "3"), 0.99, 3000L)))
            .get(0);
    assertEquals("plateau 1, target 2", c.stopped());
    Interval toTarget = c.interval(PointResult::windowsToTarget);
    assertEquals(2, toTarget.n());
    assertEquals(2000.0, toTarget.mean());
    assertEquals("plateau", Configuration.of(List.of(LAG_4)).get(0).stopped());
  }
}
