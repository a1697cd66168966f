package io.echolstm.sweep;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How far a sweep is, and an estimate of the time left: the wall time per finished point so far
 * (which already reflects points trained at once) times the points still to train. A sweep with
 * frontier searches knows only the most points it can still train: its count is a bound ({@code
 * 3/≤30}), lowered as searches end.
 */
final class SweepProgress {
  private final AtomicInteger points;
  private final boolean bound;
  private final long startedNanos;
  private final AtomicInteger done = new AtomicInteger();

  SweepProgress(int points, long startedNanos) {
    this(points, false, startedNanos);
  }

  /**
   * @param bound whether {@code points} is the most the sweep can train, not its count
   */
  SweepProgress(int points, boolean bound, long startedNanos) {
    this.points = new AtomicInteger(points);
    this.bound = bound;
    this.startedNanos = startedNanos;
  }

  /** Lowers the bound: {@code n} fewer points than announced can still train. */
  void fewer(int n) {
    points.addAndGet(-n);
  }

  /**
   * Counts one more finished point; e.g. {@code 3/8 points trained in 41 s, about 1 min 8 s left}.
   */
  String pointDone(long nowNanos) {
    int finished = done.incrementAndGet();
    double elapsed = (nowNanos - startedNanos) / 1e9;
    int total = points.get();
    int left = Math.max(0, total - finished);
    String line =
        finished
            + "/"
            + (bound && left > 0 ? "≤" : "")
            + Math.max(total, finished)
            + " points trained in "
            + duration(elapsed)
            + (left == 0 ? "" : ",");
    if (left == 0) {
      return line;
    }
    return line
        + (bound ? " at most about " : " about ")
        + duration(elapsed / finished * left)
        + " left";
  }

  /** {@code 41 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + s % 3600 / 60 + " min";
  }
}
