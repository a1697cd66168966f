package io.echolstm.eval;

import java.io.Serializable;

/**
 * Running evaluation totals; partial results from partitions are {@link #plus added}.
 *
 * @param samples framed samples (rows) scored
 * @param labels unmasked labels scored (one per sample, or several for per-step variants)
 * @param correct labels whose most probable value was the label
 * @param lossSum sum of {@code -ln p(label)} over the labels
 * @param reachable labels whose value was part of the model's input
 * @param reachableCorrect reachable labels predicted correctly
 * @param exactCandidates samples with at least one reachable label
 * @param exactMatches such samples with every reachable label correct
 */
public record Metrics(
    long samples,
    long labels,
    long correct,
    double lossSum,
    long reachable,
    long reachableCorrect,
    long exactCandidates,
    long exactMatches)
    implements Serializable {
  public static final Metrics EMPTY = new Metrics(0, 0, 0, 0.0, 0, 0, 0, 0);

  public Metrics plus(Metrics o) {
    return new Metrics(
        samples + o.samples,
        labels + o.labels,
        correct + o.correct,
        lossSum + o.lossSum,
        reachable + o.reachable,
        reachableCorrect + o.reachableCorrect,
        exactCandidates + o.exactCandidates,
        exactMatches + o.exactMatches);
  }

  /** Fraction of all labels predicted correctly; NaN when nothing was scored. */
  public double accuracy() {
    return ratio(correct, labels);
  }

  /** Fraction of reachable labels predicted correctly; NaN when none was reachable. */
  public double reachableAccuracy() {
    return ratio(reachableCorrect, reachable);
  }

  /** Fraction of samples whose reachable labels were all right; NaN when none had any. */
  public double exactMatchAccuracy() {
    return ratio(exactMatches, exactCandidates);
  }

  /** Mean cross-entropy per label in nats; NaN when nothing was scored. */
  public double meanLoss() {
    return labels == 0 ? Double.NaN : lossSum / labels;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
