package io.echolstm.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting a sweep understands, with its default beside it. A key that is not here (nor {@code
 * experiments} / {@code experiment.NAME.KEY}) is refused by {@link ConfigLoader}.
 */
public enum Key {
  SEED("seed", "42", "base seed; training and evaluation streams are derived from it"),
  DATA_VALUES("data.values", "100", "integers are drawn from 0..values-1 (one-hot width)"),
  DATA_SEQUENCE_LENGTH("data.sequence-length", "25", "values per random sequence"),
  DATA_TRAIN_SEQUENCES("data.train-sequences", "2000", "training sequences generated per point"),
  DATA_EVAL_SEQUENCES(
      "data.eval-sequences", "200", "held-out test sequences; the reported metrics come from them"),
  DATA_VALIDATION_SEQUENCES(
      "data.validation-sequences",
      "200",
      "validation sequences; the target and plateau are judged on them"),
  DATA_PARTITIONS("data.partitions", "4", "Spark partitions the sequences are generated in"),
  SWEEP_LAGS("sweep.lags", "1", "lags to sweep: 0-4, 0,2,7 or a mix"),
  SWEEP_WINDOWS("sweep.windows", "5", "window lengths (time steps per sample) to sweep"),
  SWEEP_VARIANTS("sweep.variants", "stateless", "model variants to sweep"),
  SWEEP_CONCURRENCY(
      "sweep.concurrency",
      "auto",
      "points trained at once; auto = Spark's cores / workers per point (the smallest value set"
          + " in the picked experiments applies to the run)"),
  MODEL_HIDDEN("model.hidden", "50", "LSTM hidden sizes to sweep"),
  MODEL_LSTM(
      "model.lstm",
      "fast",
      "LSTM layer implementation: fast (same math, fewer native calls) or dl4j (DL4J's own)"),
  TRAIN_WORKERS(
      "train.workers", "auto", "parameter-averaging workers; auto = Spark's default parallelism"),
  TRAIN_BATCH_SIZE("train.batch-size", "128", "minibatch size per worker"),
  TRAIN_AVERAGING_FREQUENCY(
      "train.averaging-frequency", "20", "minibatches per worker between averaging"),
  TRAIN_PREFETCH("train.prefetch", "0", "minibatches each worker prefetches asynchronously"),
  TRAIN_SAVE_UPDATER("train.save-updater", "true", "average and keep the Adam state across splits"),
  TRAIN_APPROACH(
      "train.approach",
      "direct",
      "direct (minibatches cached on the executors) or export (written to files per chunk)"),
  TRAIN_REPARTITION(
      "train.repartition", "never", "always, never or num-partitions-workers-differs"),
  TRAIN_COLLECT_STATS(
      "train.collect-stats",
      "false",
      "log dl4j-spark's time split (broadcast, fit, aggregation) after each point"),
  TRAIN_EPOCHS("train.epochs", "3", "passes over the training windows (the most, with a target)"),
  TRAIN_LEARNING_RATE("train.learning-rate", "0.01", "Adam learning rate"),
  TRAIN_TARGET_ACCURACY(
      "train.target-accuracy",
      "none",
      "stop once validation accuracy reaches this (none = no target)"),
  TRAIN_MAX_SECONDS(
      "train.max-seconds", "none", "stop after this much training time (none = no limit)"),
  TRAIN_PATIENCE(
      "train.patience",
      "3",
      "stop after this many evaluations without validation-loss improvement (0 = never)"),
  TRAIN_MIN_IMPROVEMENT(
      "train.min-improvement",
      "0.01",
      "validation-loss decrease (nats) that counts as an improvement for train.patience"),
  EVAL_EVERY_WINDOWS(
      "eval.every-windows",
      "5000",
      "evaluate on the validation set (and record history) every this many training windows"),
  EVAL_BATCH_SIZE("eval.batch-size", "256", "windows scored per forward pass in evaluation");

  private static final Map<String, Key> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Key::key, Function.identity()));

  private final String key;
  private final String defaultValue;
  private final String description;

  Key(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public static Optional<Key> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
