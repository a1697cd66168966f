package io.echolstm.config;

import static io.echolstm.config.Check.atLeast;
import static io.echolstm.config.Check.positive;

import io.echolstm.model.LstmImplementation;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Every knob of distributed training, all explicit (the training master's own defaults are never
 * relied on).
 *
 * @param workers parameter-averaging workers, or {@link #AUTO_WORKERS} for Spark's default
 *     parallelism
 * @param batchSize minibatch size per worker
 * @param averagingFrequency minibatches each worker fits between parameter averages
 * @param prefetch minibatches each worker prefetches asynchronously (0 = none)
 * @param saveUpdater whether the updater (Adam) state is averaged and kept between splits
 * @param approach how training data reaches the workers
 * @param repartition when the training RDD is rebalanced across workers
 * @param collectStats have the training master time its phases and log the split per point
 * @param lstm the LSTM layer's implementation (both compute the same function)
 * @param epochs passes over the training windows; with a target, the most
 * @param learningRate Adam learning rate
 * @param targetAccuracy stop once validation accuracy (on reachable labels, where the variant has
 *     any) reaches this; empty for no target
 * @param maxSeconds stop once training has taken this long; empty for no limit
 * @param patience stop once this many evaluations in a row brought no validation-loss improvement
 *     of at least {@code minImprovement}; 0 never stops on a plateau
 * @param minImprovement validation-loss decrease (nats) that counts as an improvement
 * @param evalEveryWindows evaluate on the validation set and record a history entry every this many
 *     training windows (rounded to whole chunks of an epoch), and at the end
 */
public record TrainSettings(
    int workers,
    int batchSize,
    int averagingFrequency,
    int prefetch,
    boolean saveUpdater,
    Approach approach,
    Repartitioning repartition,
    boolean collectStats,
    LstmImplementation lstm,
    int epochs,
    double learningRate,
    OptionalDouble targetAccuracy,
    OptionalDouble maxSeconds,
    int patience,
    double minImprovement,
    int evalEveryWindows) {

  /** Use as many workers as Spark's default parallelism. */
  public static final int AUTO_WORKERS = 0;

  public TrainSettings {
    if (workers != AUTO_WORKERS) {
      atLeast(Key.TRAIN_WORKERS.key(), "workers", workers, 1);
    }
    atLeast(Key.TRAIN_BATCH_SIZE.key(), "batch size", batchSize, 1);
    atLeast(Key.TRAIN_AVERAGING_FREQUENCY.key(), "averaging frequency", averagingFrequency, 1);
    atLeast(Key.TRAIN_PREFETCH.key(), "prefetch", prefetch, 0);
    Objects.requireNonNull(approach, "approach");
    Objects.requireNonNull(repartition, "repartition");
    Objects.requireNonNull(lstm, "lstm");
    atLeast(Key.TRAIN_EPOCHS.key(), "epochs", epochs, 1);
    positive(Key.TRAIN_LEARNING_RATE.key(), "learning rate", learningRate);
    Objects.requireNonNull(targetAccuracy, "targetAccuracy");
    Objects.requireNonNull(maxSeconds, "maxSeconds");
    if (targetAccuracy.isPresent()
        && !(targetAccuracy.getAsDouble() > 0 && targetAccuracy.getAsDouble() <= 1)) {
      throw new SettingsException(
          Key.TRAIN_TARGET_ACCURACY.key(),
          "target accuracy must be in (0, 1], found " + targetAccuracy.getAsDouble());
    }
    if (maxSeconds.isPresent()) {
      positive(Key.TRAIN_MAX_SECONDS.key(), "time budget", maxSeconds.getAsDouble());
    }
    atLeast(Key.TRAIN_PATIENCE.key(), "patience", patience, 0);
    if (!(minImprovement >= 0) || Double.isInfinite(minImprovement)) {
      throw new SettingsException(
          Key.TRAIN_MIN_IMPROVEMENT.key(),
          "minimum improvement must be a finite number >= 0, found " + minImprovement);
    }
    atLeast(Key.EVAL_EVERY_WINDOWS.key(), "evaluation interval", evalEveryWindows, 1);
  }

  /** The number of workers to train with, given Spark's default parallelism. */
  public int resolveWorkers(int defaultParallelism) {
    return workers == AUTO_WORKERS ? Math.max(1, defaultParallelism) : workers;
  }
}
