package io.echolstm.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A configuration: the points of a run that differ only in their seed, its replicates. Every place
 * that shows results shows a configuration's mean and 95 % interval ({@link Interval}) of its
 * replicates; a configuration of one point is shown as that point.
 *
 * @param points the replicates, in the order given
 */
record Configuration(List<PointResult> points) {
  /** The settings column that tells replicates apart. */
  static final String SEED = "seed";

  Configuration {
    points = List.copyOf(points);
  }

  /**
   * The configurations of {@code points}, in the order of their first point: points of one run
   * whose settings columns ({@link HtmlPage#SETTINGS}: the experiment and every per-point setting)
   * are equal but for the seed.
   */
  static List<Configuration> of(List<PointResult> points) {
    Map<String, List<PointResult>> groups = new LinkedHashMap<>();
    for (PointResult p : points) {
      groups.computeIfAbsent(key(p, Set.of(SEED)), k -> new ArrayList<>()).add(p);
    }
    return groups.values().stream().map(Configuration::new).toList();
  }

  /**
   * What points of one group share: the run and every settings column but {@code leftOut}, as
   * {@code name=value} text (a column the row lacks reads as null, alike for all rows of a table).
   */
  static String key(PointResult p, Set<String> leftOut) {
    StringBuilder key = new StringBuilder("run_id=").append(p.runId());
    for (String column : HtmlPage.SETTINGS) {
      if (!leftOut.contains(column)) {
        key.append(' ').append(column).append('=').append(p.columns().get(column));
      }
    }
    return key.toString();
  }

  /** The configuration's first point: its settings, seed aside, are every point's. */
  PointResult first() {
    return points.get(0);
  }

  /** How many replicates. */
  int n() {
    return points.size();
  }

  /** The mean and interval of {@code metric} over the replicates that have it. */
  Interval interval(Function<PointResult, ? extends Number> metric) {
    return Interval.of(points.stream().map(metric).toList());
  }

  /**
   * The test metrics as the summary and the report show them: the replicates, then accuracy,
   * reachable accuracy, chance and loss, each mean ± interval (n) but chance (one per
   * configuration).
   */
  List<String> figures() {
    return List.of(
        String.valueOf(n()),
        interval(PointResult::accuracy).format(4),
        interval(PointResult::reachableAccuracy).format(4),
        SummaryTable.fixed(first().chance(), 4),
        interval(PointResult::loss).format(4));
  }

  /** Why the replicates stopped, counted: {@code target}, or {@code target 4, budget 1}. */
  String stopped() {
    if (n() == 1) {
      return first().stopReason() == null ? "-" : first().stopReason();
    }
    Map<String, Integer> counts = new TreeMap<>();
    points.forEach(
        p -> counts.merge(p.stopReason() == null ? "-" : p.stopReason(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((reason, count) -> parts.add(reason + " " + count));
    return String.join(", ", parts);
  }
}
