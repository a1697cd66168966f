package io.echolstm.sweep;

import io.echolstm.config.ExperimentSettings;
import io.echolstm.config.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep as data: every point, expanded up front from the picked experiments.
 *
 * @param points the points, in the order they are started and reported
 * @param concurrency points trained at once, or {@link ExperimentSettings#AUTO_CONCURRENCY}
 */
public record SweepPlan(List<SweepPoint> points, int concurrency) {
  public SweepPlan {
    points = List.copyOf(points);
    Map<String, SweepPoint> seen = new LinkedHashMap<>();
    for (SweepPoint p : points) {
      SweepPoint before = seen.putIfAbsent(p.id(), p);
      if (before != null) {
        throw new IllegalArgumentException("the sweep lists one point twice: " + p.label());
      }
    }
  }

  /**
   * The Cartesian product variants × hidden × windows × lags of each experiment, in that nesting.
   */
  public static SweepPlan expand(List<ExperimentSettings> experiments) {
    List<SweepPoint> points = new ArrayList<>();
    int concurrency = ExperimentSettings.AUTO_CONCURRENCY;
    for (ExperimentSettings e : experiments) {
      if (e.concurrency() != ExperimentSettings.AUTO_CONCURRENCY) {
        concurrency =
            concurrency == ExperimentSettings.AUTO_CONCURRENCY
                ? e.concurrency()
                : Math.min(concurrency, e.concurrency());
      }
      for (Variant variant : e.variants()) {
        for (int hidden : e.hidden()) {
          for (int window : e.windows()) {
            for (int lag : e.lags()) {
              points.add(
                  new SweepPoint(
                      e.name(),
                      variant,
                      lag,
                      window,
                      hidden,
                      e.seed(),
                      e.data(),
                      e.train(),
                      e.evalBatchSize()));
            }
          }
        }
      }
    }
    return new SweepPlan(points, concurrency);
  }
}
