package io.echolstm.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Every setting a sweep understands, each declared once (see {@link Setting}). A key not declared
 * here (nor {@code experiments} / {@code experiment.NAME.KEY}) is refused by {@link ConfigLoader},
 * and a declaration the loader does not read into a settings record stops every load.
 *
 * <p>The order of {@link #ALL} is the order of the settings columns (which must not change:
 * existing tables are read by it), of {@code --help} and of the README's key table, and of the
 * entries settings added later bring into a point key ({@link PointKey}). The ceilings keep sizes
 * that would exhaust memory after Spark has started (native allocation failures, heap exhaustion)
 * from getting that far.
 */
public final class Settings {
  private Settings() {}

  public static final Setting<List<Variant>> SWEEP_VARIANTS =
      Setting.list(
              "sweep.variants",
              "stateless",
              Arrays.stream(Variant.values()).map(Variant::id).collect(Collectors.joining(", ")),
              "model variants to sweep (see below)",
              id -> Variant.parse("sweep.variants", id))
          .perPoint("variant", String.class, p -> p.variant().id());

  public static final Setting<List<Integer>> SWEEP_LAGS =
      Setting.intList(
              "sweep.lags",
              "lag",
              "1",
              0,
              9_999,
              "lags to sweep: `0-4`, `0,2,7` or a mix such as `0-2,8`; each < sequence length")
          .perPoint("lag", Integer.class, PointSettings::lag);

  public static final Setting<List<Integer>> SWEEP_WINDOWS =
      Setting.intList(
              "sweep.windows",
              "window",
              "5",
              1,
              10_000,
              "window lengths (time steps per sample); each <= sequence length")
          .perPoint("window", Integer.class, PointSettings::window);

  public static final Setting<List<Integer>> MODEL_HIDDEN =
      Setting.intList("model.hidden", "hidden size", "50", 1, 4_096, "LSTM hidden sizes to sweep")
          .perPoint("hidden", Integer.class, PointSettings::hidden);

  public static final Setting<List<Long>> SEED =
      Setting.longList(
              "seed",
              "42",
              "base seeds, one replicate of every configuration per seed (`42`, `1-5`): each drives"
                  + " its point's training and evaluation streams and weight init; points that"
                  + " differ only in their seed are reported as one configuration, mean and 95 %"
                  + " interval")
          .perPoint("seed", Long.class, PointSettings::seed);

  public static final Setting<Integer> DATA_VALUES =
      Setting.integer(
              "data.values",
              "number of values",
              100,
              2,
              10_000,
              "integers are drawn from 0..values-1 (the one-hot width)")
          .perPoint("values", Integer.class, p -> p.data().values());

  public static final Setting<Integer> DATA_SEQUENCE_LENGTH =
      Setting.integer(
              "data.sequence-length",
              "sequence length",
              25,
              1,
              10_000,
              "values per random sequence")
          .perPoint("sequence_length", Integer.class, p -> p.data().sequenceLength());

  public static final Setting<Integer> DATA_TRAIN_SEQUENCES =
      Setting.integer(
              "data.train-sequences",
              "training sequences",
              2000,
              1,
              1_000_000,
              "training sequences per point")
          .perPoint("train_sequences", Integer.class, p -> p.data().trainSequences());

  public static final Setting<Integer> DATA_EVAL_SEQUENCES =
      Setting.integer(
              "data.eval-sequences",
              "evaluation sequences",
              200,
              1,
              1_000_000,
              "held-out test sequences per point; the reported metrics come from them")
          .perPoint("eval_sequences", Integer.class, p -> p.data().evalSequences());

  public static final Setting<Integer> DATA_VALIDATION_SEQUENCES =
      Setting.integer(
              "data.validation-sequences",
              "validation sequences",
              200,
              1,
              1_000_000,
              "validation sequences per point (their own seed stream); the target and plateau are"
                  + " judged on them")
          .perPoint("validation_sequences", Integer.class, p -> p.data().validationSequences());

  public static final Setting<Integer> DATA_PARTITIONS =
      Setting.integer(
              "data.partitions",
              "partitions",
              4,
              1,
              10_000,
              "Spark partitions the sequences are generated (and framed) in")
          .perPoint("partitions", Integer.class, p -> p.data().partitions());

  public static final Setting<Integer> SWEEP_CONCURRENCY =
      Setting.autoInteger(
          "sweep.concurrency",
          "concurrency",
          SweepSettings.AUTO_CONCURRENCY,
          1,
          256,
          "points trained at once; `auto` = Spark's cores / workers per point. The smallest value"
              + " among the picked experiments applies to the run (run-level: not in the point key"
              + " nor the table)");

  public static final Setting<Integer> TRAIN_WORKERS =
      Setting.autoInteger(
              "train.workers",
              "workers",
              TrainSettings.AUTO_WORKERS,
              1,
              1_024,
              "parameter-averaging workers; `auto` = Spark's default parallelism when the run starts"
                  + " (on a cluster: the executor cores registered by then) for a point whose"
                  + " `model.hidden` × time steps × `train.batch-size` is at least 163,840 (e.g."
                  + " 128 × 10 × 128), where a second worker was measured to pay, and 1 below it"
                  + " (see \"Distributed training\"; the column holds the resolved count)")
          .perPoint("workers", Integer.class, PointSettings::workers)
          .keyFormat(v -> v.equals(TrainSettings.AUTO_WORKERS) ? "auto" : String.valueOf(v));

  public static final Setting<Integer> TRAIN_BATCH_SIZE =
      Setting.integer("train.batch-size", "batch size", 128, 1, 65_536, "minibatch size per worker")
          .perPoint("batch_size", Integer.class, p -> p.train().batchSize());

  public static final Setting<Integer> TRAIN_AVERAGING_FREQUENCY =
      Setting.integer(
              "train.averaging-frequency",
              "averaging frequency",
              20,
              1,
              100_000,
              "minibatches each worker fits between parameter averages (an averaging round is one"
                  + " Spark job that ships the parameters and Adam state both ways: fewer rounds"
                  + " cost less, more keep the workers closer; see BENCHMARKS.md)")
          .perPoint("averaging_frequency", Integer.class, p -> p.train().averagingFrequency());

  public static final Setting<Integer> TRAIN_PREFETCH =
      Setting.integer(
              "train.prefetch",
              "prefetch",
              0,
              0,
              64,
              "`train.averaging=dl4j-spark`: minibatches each worker prefetches asynchronously (0 ="
                  + " none; the data is already in memory)")
          .perPoint("prefetch", Integer.class, p -> p.train().prefetch());

  public static final Setting<Boolean> TRAIN_SAVE_UPDATER =
      Setting.bool(
              "train.save-updater",
              true,
              "average and keep the Adam state across averaging rounds (false: each round starts"
                  + " each worker from a fresh Adam state)")
          .perPoint("save_updater", Boolean.class, p -> p.train().saveUpdater());

  public static final Setting<LstmImplementation> MODEL_LSTM =
      Setting.enumeration(
              "model.lstm",
              LstmImplementation.class,
              "fast",
              "layer implementation: `fast` (DL4J's LSTM and softmax output math with fewer, larger"
                  + " native calls; same parameters, outputs and gradients) or `dl4j` (DL4J's own"
                  + " layers)")
          .perPoint("lstm", String.class, p -> p.model().lstm().id());

  public static final Setting<Averaging> TRAIN_AVERAGING =
      Setting.enumeration(
              "train.averaging",
              Averaging.class,
              "resident",
              "`resident`: each worker keeps its network and Adam state across averaging rounds and"
                  + " evaluations, one Spark job per round; `dl4j-spark`: dl4j-spark's"
                  + " ParameterAveragingTrainingMaster (a new network per worker and round), the"
                  + " reference, to which `train.approach`, `train.repartition` and `train.prefetch`"
                  + " apply")
          .perPoint("averaging", String.class, p -> Setting.id(p.train().averaging()));

  public static final Setting<Approach> TRAIN_APPROACH =
      Setting.enumeration(
              "train.approach",
              Approach.class,
              "direct",
              "`train.averaging=dl4j-spark`: `direct` hands it the minibatches cached on the"
                  + " executors (no shared file system needed); `export` has it write each chunk's"
                  + " minibatches to files under `hadoop.tmp.dir` first (needs a file system every"
                  + " executor reads)")
          .perPoint("approach", String.class, p -> Setting.id(p.train().approach()));

  public static final Setting<Repartitioning> TRAIN_REPARTITION =
      Setting.enumeration(
              "train.repartition",
              Repartitioning.class,
              "never",
              "`train.averaging=dl4j-spark`: whether it reshuffles each split (the cached data is"
                  + " already one partition per worker)")
          .perPoint("repartition", String.class, p -> Setting.id(p.train().repartition()));

  public static final Setting<Boolean> TRAIN_COLLECT_STATS =
      Setting.bool(
          "train.collect-stats",
          false,
          "log the training time split after each point: per averaging round the job, the"
              + " slowest worker's set-up and fit, the averaging (dl4j-spark: its broadcast, fit and"
              + " aggregation split) (run-level: not in the point key nor the table)");

  public static final Setting<Integer> TRAIN_EPOCHS =
      Setting.integer(
              "train.epochs",
              "epochs",
              3,
              1,
              10_000,
              "passes over the training windows (the most; column `max_epochs`)")
          .perPoint("epochs", "max_epochs", Integer.class, p -> p.train().epochs());

  public static final Setting<Double> TRAIN_LEARNING_RATE =
      Setting.decimal(
              "train.learning-rate",
              "0.01",
              "> 0",
              "Adam learning rate",
              v -> positive("train.learning-rate", "learning rate", v))
          .perPoint("learning_rate", Double.class, p -> p.train().learningRate());

  public static final Setting<OptionalDouble> TRAIN_TARGET_ACCURACY =
      Setting.optionalDecimal(
              "train.target-accuracy",
              "(0, 1]",
              "stop a point once its validation accuracy (on reachable labels) reaches this, e.g."
                  + " 0.99",
              v -> {
                if (!(v > 0 && v <= 1)) {
                  throw new SettingsException(
                      "train.target-accuracy", "target accuracy must be in (0, 1], found " + v);
                }
              })
          .perPoint("target_accuracy", Double.class, p -> boxed(p.train().targetAccuracy()));

  public static final Setting<OptionalDouble> TRAIN_MAX_SECONDS =
      Setting.optionalDecimal(
              "train.max-seconds",
              "> 0",
              "stop a point once its training has taken this long",
              v -> positive("train.max-seconds", "time budget", v))
          .perPoint("max_seconds", Double.class, p -> boxed(p.train().maxSeconds()));

  public static final Setting<Integer> TRAIN_PATIENCE =
      Setting.integer(
              "train.patience",
              "patience",
              3,
              0,
              10_000,
              "stop a point after this many evaluations in a row without a validation-loss"
                  + " improvement (0 = never)")
          .perPoint("patience", Integer.class, p -> p.train().patience());

  public static final Setting<Double> TRAIN_MIN_IMPROVEMENT =
      Setting.decimal(
              "train.min-improvement",
              "0.01",
              ">= 0",
              "how far (nats) validation loss must fall below its value at the last improvement to"
                  + " count",
              v -> {
                if (!(v >= 0) || Double.isInfinite(v)) {
                  throw new SettingsException(
                      "train.min-improvement",
                      "minimum improvement must be a finite number >= 0, found " + v);
                }
              })
          .perPoint("min_improvement", Double.class, p -> p.train().minImprovement());

  public static final Setting<Integer> EVAL_EVERY_WINDOWS =
      Setting.integer(
              "eval.every-windows",
              "evaluation interval",
              5000,
              1,
              1_000_000_000,
              "evaluate on the validation set (and add a `history` entry) about every this many"
                  + " training windows, inside epochs too")
          .perPoint("eval_every_windows", Integer.class, p -> p.eval().everyWindows());

  public static final Setting<Integer> EVAL_BATCH_SIZE =
      Setting.integer(
              "eval.batch-size",
              "evaluation batch size",
              256,
              1,
              65_536,
              "windows per forward pass in evaluation")
          .perPoint("eval_batch_size", Integer.class, p -> p.eval().batchSize());

  public static final Setting<ModelSave> MODEL_SAVE =
      Setting.enumeration(
          "model.save",
          ModelSave.class,
          "auto",
          "save each point's trained network (DL4J's model file) under the results directory,"
              + " its path in the column `model_path`; `auto` = when the run's plan has at most 100"
              + " points (a frontier search counts the most probes it makes; run-level: not in the"
              + " point key)");

  public static final Setting<LagSearch> SWEEP_LAG_SEARCH =
      Setting.enumeration(
              "sweep.lag-search",
              LagSearch.class,
              "grid",
              "`grid` trains every lag of `sweep.lags`; `frontier` searches them as a range for the"
                  + " largest lag whose point reaches `train.target-accuracy` (required) on"
                  + " validation, per configuration and seed, by doubling and then bisection (see"
                  + " \"Lag frontier\")")
          .perPoint("lag_search", String.class, p -> Setting.id(p.lagSearch()));

  /** Every declaration, in column order. */
  public static final List<Setting<?>> ALL =
      List.of(
          SWEEP_VARIANTS,
          SWEEP_LAGS,
          SWEEP_WINDOWS,
          MODEL_HIDDEN,
          SEED,
          DATA_VALUES,
          DATA_SEQUENCE_LENGTH,
          DATA_TRAIN_SEQUENCES,
          DATA_EVAL_SEQUENCES,
          DATA_VALIDATION_SEQUENCES,
          DATA_PARTITIONS,
          SWEEP_CONCURRENCY,
          TRAIN_WORKERS,
          TRAIN_BATCH_SIZE,
          TRAIN_AVERAGING_FREQUENCY,
          TRAIN_PREFETCH,
          TRAIN_SAVE_UPDATER,
          MODEL_LSTM,
          TRAIN_AVERAGING,
          TRAIN_APPROACH,
          TRAIN_REPARTITION,
          TRAIN_COLLECT_STATS,
          TRAIN_EPOCHS,
          TRAIN_LEARNING_RATE,
          TRAIN_TARGET_ACCURACY,
          TRAIN_MAX_SECONDS,
          TRAIN_PATIENCE,
          TRAIN_MIN_IMPROVEMENT,
          EVAL_EVERY_WINDOWS,
          EVAL_BATCH_SIZE,
          MODEL_SAVE,
          SWEEP_LAG_SEARCH);

  private static final Map<String, Setting<?>> BY_KEY = new LinkedHashMap<>();

  static {
    for (Setting<?> s : ALL) {
      if (BY_KEY.put(s.key(), s) != null) {
        throw new ExceptionInInitializerError("setting declared twice: " + s.key());
      }
    }
  }

  public static Optional<Setting<?>> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  private static final List<Setting<?>> PER_POINT = ALL.stream().filter(Setting::perPoint).toList();

  /** The declarations recorded per point, in column order. */
  public static List<Setting<?>> perPoint() {
    return PER_POINT;
  }

  /** The key table of {@code --help}: one line per declaration. */
  public static String usage() {
    StringBuilder out = new StringBuilder();
    for (Setting<?> s : ALL) {
      out.append(
          String.format(
              "  %-26s %s [default %s; %s]%n",
              s.key(), plain(s.doc()), s.defaultValue(), s.range()));
    }
    return out.toString();
  }

  /** The README's key table (Markdown), generated from the declarations. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder();
    out.append("| key | default | accepted | meaning |\n|---|---|---|---|\n");
    for (Setting<?> s : ALL) {
      out.append("| `")
          .append(s.key())
          .append("` | ")
          .append(s.defaultValue())
          .append(" | ")
          .append(s.range())
          .append(" | ")
          .append(s.doc())
          .append(" |\n");
    }
    return out.toString();
  }

  private static String plain(String doc) {
    return doc.replace("`", "");
  }

  private static void positive(String key, String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new SettingsException(key, what + " must be a positive number, found " + value);
    }
  }

  private static Double boxed(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }
}
