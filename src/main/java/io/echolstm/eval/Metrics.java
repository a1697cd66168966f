package io.echolstm.eval;

import java.io.Serializable;

/**
 * Running evaluation totals; partial results from partitions are {@link #plus added}.
 *
 * @param windows windows scored
 * @param correct windows whose most probable value was the label
 * @param lossSum sum of {@code -ln p(label)}
 */
public record Metrics(long windows, long correct, double lossSum) implements Serializable {
  public static final Metrics EMPTY = new Metrics(0, 0, 0.0);

  public Metrics plus(Metrics other) {
    return new Metrics(windows + other.windows, correct + other.correct, lossSum + other.lossSum);
  }

  /** Fraction of windows predicted correctly; NaN when nothing was scored. */
  public double accuracy() {
    return windows == 0 ? Double.NaN : (double) correct / windows;
  }

  /** Mean cross-entropy in nats; NaN when nothing was scored. */
  public double meanLoss() {
    return windows == 0 ? Double.NaN : lossSum / windows;
  }
}
