package io.echolstm.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the probes of one frontier search found: the largest lag whose point reached the target
 * accuracy on validation, the smallest lag above it that failed, and the failed lags below it,
 * which contradict the monotonicity the search assumes (a smaller lag should be no harder) and are
 * reported rather than hidden. The search ({@code sweep.lag-search=frontier}) and the summary and
 * report, which read its probes back from the table, compute it here alike.
 *
 * @param reached the largest lag reached; null when none was
 * @param failed the smallest failed lag above {@code reached} (above nothing: the smallest failed);
 *     null when none failed there
 * @param contradictions failed lags below {@code reached}, ascending
 * @param probes how many lags were probed
 */
public record LagFrontier(
    Integer reached, Integer failed, List<Integer> contradictions, int probes) {
  public LagFrontier {
    contradictions = List.copyOf(contradictions);
  }

  /** The frontier of these outcomes: whether the point of each probed lag reached the target. */
  public static LagFrontier of(Map<Integer, Boolean> outcomes) {
    TreeMap<Integer, Boolean> byLag = new TreeMap<>(outcomes);
    Integer reached = null;
    for (Map.Entry<Integer, Boolean> e : byLag.entrySet()) {
      if (e.getValue()) {
        reached = e.getKey();
      }
    }
    Integer failed = null;
    List<Integer> contradictions = new ArrayList<>();
    for (Map.Entry<Integer, Boolean> e : byLag.entrySet()) {
      if (e.getValue()) {
        continue;
      }
      if (reached != null && e.getKey() < reached) {
        contradictions.add(e.getKey());
      } else if (failed == null) {
        failed = e.getKey();
      }
    }
    return new LagFrontier(reached, failed, contradictions, byLag.size());
  }

  /** True when no probe contradicts monotonicity. */
  public boolean monotone() {
    return contradictions.isEmpty();
  }

  /**
   * The finding in words: {@code frontier lag 4 (failed 5)}, {@code frontier lag 24 (none failed
   * above it)}, {@code no lag reached (failed 0)}, and for a contradiction {@code ...;
   * non-monotone: lag 2 failed below it}.
   */
  public String describe() {
    String head =
        reached == null
            ? "no lag reached (failed " + failed + ")"
            : "frontier lag "
                + reached
                + (failed == null ? " (none failed above it)" : " (failed " + failed + ")");
    if (monotone()) {
      return head;
    }
    List<String> lags = contradictions.stream().map(String::valueOf).toList();
    return head
        + "; non-monotone: lag"
        + (lags.size() > 1 ? "s " : " ")
        + String.join(", ", lags)
        + " failed below it";
  }
}
