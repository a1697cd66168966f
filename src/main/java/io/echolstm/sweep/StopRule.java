package io.echolstm.sweep;

import io.echolstm.eval.Metrics;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides, after each validation evaluation, whether a point is done: its target accuracy was
 * reached, or its validation loss has not come {@code minImprovement} below the loss at the last
 * improvement for {@code patience} evaluations in a row (in the spirit of DL4J's {@code
 * ScoreImprovementEpochTerminationCondition}). The budget (epochs, seconds) is the caller's. No
 * Spark.
 */
final class StopRule {
  /** Why a point stopped training; its id is the {@code stop_reason} column. */
  enum Reason {
    TARGET,
    PLATEAU,
    BUDGET;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final OptionalDouble target;
  private final int patience;
  private final double minImprovement;
  private double best = Double.POSITIVE_INFINITY;
  private int stale;

  StopRule(OptionalDouble target, int patience, double minImprovement) {
    this.target = target;
    this.patience = patience;
    this.minImprovement = minImprovement;
  }

  /** The accuracy a target is judged on: over reachable labels when the variant has any. */
  static double headline(Metrics m) {
    return Double.isNaN(m.reachableAccuracy()) ? m.accuracy() : m.reachableAccuracy();
  }

  /**
   * Records one evaluation: {@code accuracy} is the accuracy the target is judged on, {@code loss}
   * the mean validation loss. Returns why to stop now, or empty to go on.
   */
  Optional<Reason> observe(double accuracy, double loss) {
    if (target.isPresent() && accuracy >= target.getAsDouble()) {
      return Optional.of(Reason.TARGET);
    }
    if (loss <= best - minImprovement) {
      best = loss;
      stale = 0;
    } else {
      // The reference stays at the last improvement, so a slow steady decline still counts once
      // it adds up to minImprovement.
      stale++;
    }
    return patience > 0 && stale >= patience ? Optional.of(Reason.PLATEAU) : Optional.empty();
  }
}
