package io.echolstm.report;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Report rows for tests, with the columns the charts use and a few settings. */
final class Points {
  private Points() {}

  static PointResult.Evaluation eval(long windows, double seconds, double accuracy, double loss) {
    return new PointResult.Evaluation(1, windows, seconds, accuracy, accuracy, loss);
  }

  static PointResult point(
      String run,
      String experiment,
      int lag,
      int window,
      int hidden,
      double accuracy,
      double loss,
      List<PointResult.Evaluation> history) {
    boolean control = lag >= window;
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("run_id", run);
    columns.put("point_id", experiment + "-" + lag + "-" + window + "-" + hidden);
    columns.put("experiment", experiment);
    columns.put("variant", "stateless");
    columns.put("lag", String.valueOf(lag));
    columns.put("window", String.valueOf(window));
    columns.put("hidden", String.valueOf(hidden));
    columns.put("accuracy", String.valueOf(accuracy));
    columns.put("model_path", "_models/run_id=" + run + "/point_id=" + columns.get("point_id"));
    columns.put("windows_per_second", String.valueOf(1000 + lag));
    columns.put("learning_rate", "0.01");
    columns.put("seed", "42");
    columns.put("master", "local[2]");
    columns.put("spark_version", "3.5.7");
    columns.put("started_at", "2026-01-01T00:00:00Z");
    columns.put("ended_at", "2026-01-01T00:01:00Z");
    return new PointResult(
        run,
        columns.get("point_id"),
        experiment,
        "stateless",
        control,
        lag,
        window,
        hidden,
        100,
        accuracy,
        control ? null : accuracy,
        loss,
        0.01,
        4000L,
        2.0,
        2000.0 + lag,
        null,
        null,
        null,
        "plateau",
        Instant.parse("2026-01-01T00:01:00Z"),
        history,
        columns);
  }

  /**
   * {@code p} with some columns set (their text; {@code seed}, {@code lag_search} and the like),
   * its test accuracy and its windows to target replaced (stop reason {@code target} when set).
   */
  static PointResult with(
      PointResult p, Map<String, String> set, double accuracy, Long windowsToTarget) {
    Map<String, String> columns = new LinkedHashMap<>(p.columns());
    columns.putAll(set);
    columns.put("accuracy", String.valueOf(accuracy));
    String id = p.pointId() + columns.get("seed") + columns.get("learning_rate");
    columns.put("point_id", id);
    return new PointResult(
        p.runId(),
        id,
        p.experiment(),
        p.variant(),
        p.control(),
        p.lag(),
        p.window(),
        p.hidden(),
        p.values(),
        accuracy,
        p.control() ? null : accuracy,
        p.loss(),
        p.chanceAccuracy(),
        p.trainWindows(),
        p.trainSeconds(),
        p.windowsPerSecond(),
        windowsToTarget == null ? null : 0.99,
        windowsToTarget,
        windowsToTarget == null ? null : 1.0,
        windowsToTarget == null ? "plateau" : "target",
        p.endedAt(),
        p.history(),
        columns);
  }

  /** {@code p} as the replicate of seed {@code seed}, with this test accuracy. */
  static PointResult seed(PointResult p, long seed, double accuracy) {
    return with(p, Map.of("seed", String.valueOf(seed)), accuracy, p.windowsToTarget());
  }

  /** The tutorial's three experiments, as a run would write them. */
  static List<PointResult> tutorial(String run) {
    List<PointResult.Evaluation> learned =
        List.of(
            eval(5000, 1.0, 0.4, 2.0), eval(10000, 2.0, 0.995, 0.1), eval(15000, 3.0, 1.0, 0.02));
    List<PointResult.Evaluation> flat =
        List.of(eval(5000, 1.0, 0.01, 4.61), eval(10000, 2.0, 0.011, 4.60));
    return List.of(
        point(run, "echo-current", 0, 1, 15, 1.0, 0.02, learned),
        point(run, "beginner-mistake", 1, 1, 50, 0.01, 4.6088, flat),
        point(run, "echo-lag", 0, 5, 50, 1.0, 0.003, learned),
        point(run, "echo-lag", 1, 5, 50, 1.0, 0.005, learned),
        point(run, "echo-lag", 4, 5, 50, 0.998, 0.007, learned),
        point(run, "echo-lag", 5, 5, 50, 0.0068, 4.6123, flat));
  }
}
