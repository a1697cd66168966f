package io.echolstm.sweep;

import io.echolstm.results.LagFrontier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The probe sequence of one frontier search: which lag of a range to probe next, from the outcomes
 * of the probes before (did the point reach the target accuracy on validation?). No Spark and no
 * training: {@link SearchScheduler} probes and records.
 *
 * <p>Over the range's lags in ascending order (indices {@code 0..m-1}), the search probes by
 * doubling: indices 0, 1, 3, 7, ..., {@code 2^k - 1}, the last index for the step that would pass
 * it. A failure is confirmed by the next doubling probe: when that one reaches the target, the
 * failure contradicts monotonicity (it is kept, and {@link LagFrontier} reports it) and doubling
 * goes on. After two failures in a row, or a failure at the last lag, it bisects between the
 * largest lag reached and the first of those failures until they are neighbours. Under monotonicity
 * this finds the largest lag reached exactly, in at most {@link #maxProbes} probes.
 */
final class FrontierSearch {
  private final List<Integer> lags;
  private final Map<Integer, Boolean> outcomes = new LinkedHashMap<>();

  /** Index of the largest lag reached so far (-1: none). */
  private int lo = -1;

  /** While bisecting: index of the failure that bounds the search from above. */
  private int hi;

  /** While doubling: index of a failure not yet confirmed by the next doubling probe (-1: none). */
  private int pending = -1;

  private boolean bisecting;

  /** Index of the lag to probe next (-1: done). */
  private int next;

  /**
   * @param lags the range, in ascending order, without repeats (at least one)
   */
  FrontierSearch(List<Integer> lags) {
    if (lags.isEmpty()) {
      throw new IllegalArgumentException("a frontier search needs at least one lag");
    }
    for (int i = 1; i < lags.size(); i++) {
      if (lags.get(i) <= lags.get(i - 1)) {
        throw new IllegalArgumentException("lags must ascend: " + lags);
      }
    }
    this.lags = List.copyOf(lags);
  }

  /**
   * The most probes a search over {@code m} lags makes: 1 for one lag, else {@code 2 ceil(log2 m)}:
   * at most {@code ceil(log2 m) + 1} doubling probes, and then at most {@code ceil(log2 m) - 1}
   * bisection probes, since the doubling step that failed spans at most half the range.
   */
  static int maxProbes(int m) {
    if (m <= 1) {
      return m;
    }
    int log2 = 32 - Integer.numberOfLeadingZeros(m - 1);
    return 2 * log2;
  }

  /** The lag to probe next, or empty when the search is done. */
  OptionalInt next() {
    return next < 0 ? OptionalInt.empty() : OptionalInt.of(lags.get(next));
  }

  /**
   * Records whether the point of {@code lag}, the one {@link #next()} returned, reached the target.
   */
  void record(int lag, boolean reached) {
    if (next < 0 || lags.get(next) != lag) {
      throw new IllegalStateException("expected a probe of " + next() + ", found lag " + lag);
    }
    outcomes.put(lag, reached);
    int i = next;
    if (!bisecting) {
      if (reached) {
        lo = i;
        pending = -1;
        next = i == lags.size() - 1 ? -1 : doubled(i);
        return;
      }
      if (pending < 0 && i < lags.size() - 1) {
        pending = i;
        next = doubled(i);
        return;
      }
      bisecting = true;
      hi = pending >= 0 ? pending : i;
    } else if (reached) {
      lo = i;
    } else {
      hi = i;
    }
    next = hi - lo <= 1 ? -1 : lo + (hi - lo) / 2;
  }

  /** The doubling step after index {@code i}: {@code 2i + 1}, or the last index. */
  private int doubled(int i) {
    return (int) Math.min(2L * i + 1, lags.size() - 1);
  }

  /** Whether the search is done. */
  boolean done() {
    return next < 0;
  }

  /** The lags probed so far, in probe order. */
  List<Integer> probed() {
    return new ArrayList<>(outcomes.keySet());
  }

  /** What the probes so far found. */
  LagFrontier frontier() {
    return LagFrontier.of(outcomes);
  }
}
