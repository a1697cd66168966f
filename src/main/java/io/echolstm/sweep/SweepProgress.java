package io.echolstm.sweep;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How far a sweep is, and an estimate of the time left: the wall time per finished point so far
 * (which already reflects points trained at once) times the points still to train.
 */
final class SweepProgress {
  private final int points;
  private final long startedNanos;
  private final AtomicInteger done = new AtomicInteger();

  SweepProgress(int points, long startedNanos) {
    this.points = points;
    this.startedNanos = startedNanos;
  }

  /**
   * Counts one more finished point; e.g. {@code 3/8 points trained in 41 s, about 1 min 8 s left}.
   */
  String pointDone(long nowNanos) {
    int finished = done.incrementAndGet();
    double elapsed = (nowNanos - startedNanos) / 1e9;
    int left = points - finished;
    String line =
        finished
            + "/"
            + points
            + " points trained in "
            + duration(elapsed)
            + (left == 0 ? "" : ",");
    if (left == 0) {
      return line;
    }
    return line + " about " + duration(elapsed / finished * left) + " left";
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
