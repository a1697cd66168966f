package io.echolstm.config;

import java.util.OptionalDouble;

/**
 * The {@code train.*} settings: every knob of distributed training, all explicit (the training
 * master's own defaults are never relied on), and when a point stops.
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
 * @param epochs passes over the training windows; with a target, the most
 * @param learningRate Adam learning rate
 * @param targetAccuracy stop once validation accuracy (on reachable labels, where the variant has
 *     any) reaches this; empty for no target
 * @param maxSeconds stop once training has taken this long; empty for no limit
 * @param patience stop once this many evaluations in a row brought no validation-loss improvement
 *     of at least {@code minImprovement}; 0 never stops on a plateau
 * @param minImprovement validation-loss decrease (nats) that counts as an improvement
 * @param averaging which parameter-averaging implementation trains the point
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
    int epochs,
    double learningRate,
    OptionalDouble targetAccuracy,
    OptionalDouble maxSeconds,
    int patience,
    double minImprovement,
    Averaging averaging) {

  /** Use as many workers as Spark's default parallelism. */
  public static final int AUTO_WORKERS = 0;

  public TrainSettings {
    Settings.TRAIN_WORKERS.check(workers);
    Settings.TRAIN_BATCH_SIZE.check(batchSize);
    Settings.TRAIN_AVERAGING_FREQUENCY.check(averagingFrequency);
    Settings.TRAIN_PREFETCH.check(prefetch);
    Settings.TRAIN_APPROACH.check(approach);
    Settings.TRAIN_REPARTITION.check(repartition);
    Settings.TRAIN_EPOCHS.check(epochs);
    Settings.TRAIN_LEARNING_RATE.check(learningRate);
    Settings.TRAIN_TARGET_ACCURACY.check(targetAccuracy);
    Settings.TRAIN_MAX_SECONDS.check(maxSeconds);
    Settings.TRAIN_PATIENCE.check(patience);
    Settings.TRAIN_MIN_IMPROVEMENT.check(minImprovement);
    Settings.TRAIN_AVERAGING.check(averaging);
  }

  /**
   * The work of one example's minibatch step from which {@code train.workers=auto} gives a point
   * more than one worker: LSTM units × time steps × batch size. Measured on 2 cores (one point, 2
   * workers against 1, steady windows/s; {@code scripts/bench.sh crossover}, BENCHMARKS.md): 0.99 ×
   * at 50 × 5 × 128, 1.10 × at 128 × 5 × 128, 1.21 × at 128 × 10 × 128, 1.49 × at 256 × 10 × 128.
   * Below this, a second worker's averaging rounds cost about what it adds.
   */
  public static final long AUTO_MIN_WORK = 128L * 10 * 128;

  /**
   * The number of workers to train a point with: {@code train.workers}, or for {@code auto} Spark's
   * default parallelism when the point's step is large enough that a second worker pays ({@code
   * hidden × steps × batch size ≥} {@link #AUTO_MIN_WORK}), otherwise one.
   *
   * @param steps time steps of one example (the window; a whole sequence's length)
   */
  public int resolveWorkers(int defaultParallelism, int hidden, int steps) {
    if (workers != AUTO_WORKERS) {
      return workers;
    }
    long work = (long) hidden * steps * batchSize;
    return work >= AUTO_MIN_WORK ? Math.max(1, defaultParallelism) : 1;
  }
}
