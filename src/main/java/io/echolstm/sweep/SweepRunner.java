package io.echolstm.sweep;

import io.echolstm.codec.Inputs;
import io.echolstm.config.SweepSettings;
import io.echolstm.config.Variant;
import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceFrames;
import io.echolstm.eval.DistributedEvaluator;
import io.echolstm.eval.Metrics;
import io.echolstm.eval.Scorer;
import io.echolstm.model.ModelFile;
import io.echolstm.model.ModelInfo;
import io.echolstm.model.NetworkFactory;
import io.echolstm.results.HistoryEntry;
import io.echolstm.results.PointIdentity;
import io.echolstm.results.PointOutcome;
import io.echolstm.results.Provenance;
import io.echolstm.results.ResultRow;
import io.echolstm.results.ResultsTable;
import io.echolstm.train.DistributedTrainer;
import io.echolstm.train.Minibatches;
import io.echolstm.window.Frame;
import io.echolstm.window.WindowFrames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains and evaluates each point of a plan in turn and commits its row as soon as it is done, so a
 * failure loses at most the points in flight. Points the run already committed are skipped.
 */
public final class SweepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

  /** What a run did. */
  public record Summary(int trained, int skipped, List<String> pointIds) {}

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final ResultsTable results;
  private final String runId;
  private final boolean overwrite;

  /** The run's lease and plan check, when run through {@link #run(SweepPlan, RunGuard)}. */
  private RunGuard guard;

  /**
   * Spark's default parallelism as resolved once, when the runner is made: what {@code
   * train.workers=auto} means for every point of the run, as its plan records it.
   */
  private final int defaultParallelism;

  /**
   * Called as a point enters each stage (preparing data, training, validating, evaluating,
   * committing); tests replace it to inject a failure at a stage.
   */
  BiConsumer<SweepPoint, String> onStage = (point, stage) -> {};

  private volatile SweepProgress sweepProgress;

  public SweepRunner(SparkSession spark, ResultsTable results, String runId, boolean overwrite) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.results = results;
    this.runId = runId;
    this.overwrite = overwrite;
    this.defaultParallelism = jsc.defaultParallelism();
  }

  /**
   * Runs the plan without a lease or plan check: for tests and callers that own the run directory
   * by other means.
   */
  public Summary run(SweepPlan plan) {
    return run(plan, null);
  }

  /**
   * Runs the plan as the holder of {@code guard}'s lease: first {@link RunGuard#confirm confirms}
   * the plan (the resolved worker count included), and checks the lease is still held before each
   * commit. Only then are the staging directories this run's crashed writers left removed: holding
   * the lease, no live driver writes this run.
   *
   * @throws io.echolstm.config.SettingsException when the guard refuses the plan; nothing was done
   */
  public Summary run(SweepPlan plan, RunGuard guard) {
    this.guard = guard;
    if (guard != null) {
      guard.confirm(defaultParallelism);
    }
    int abandoned = results.removeAbandonedStaging(runId);
    if (abandoned > 0) {
      LOG.info("removed {} staging dirs a crashed writer of run {} left", abandoned, runId);
    }
    int abandonedModels = results.models().removeAbandonedTemps(runId);
    if (abandonedModels > 0) {
      LOG.info("removed {} model files a crashed writer of run {} left", abandonedModels, runId);
    }
    Set<String> done = overwrite ? Set.of() : results.committedPoints(runId);
    Provenance provenance = Provenance.of(spark);
    List<SweepPoint> points = plan.points();
    List<String> ids = points.stream().map(SweepPoint::id).toList();
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (done.contains(points.get(i).id())) {
        LOG.info(
            "{} [{}]: already in run {}, skipped",
            progress(i, points),
            points.get(i).label(),
            runId);
      } else {
        todo.add(i);
      }
    }
    int concurrency = Math.min(Math.max(1, todo.size()), concurrency(plan));
    LOG.info("{} points to train, {} at a time", todo.size(), concurrency);
    sweepProgress = new SweepProgress(todo.size(), System.nanoTime());
    if (concurrency == 1) {
      for (int i : todo) {
        trainAndCommit(i, plan, provenance);
      }
    } else {
      runConcurrently(todo, plan, provenance, concurrency);
    }
    return new Summary(todo.size(), points.size() - todo.size(), ids);
  }

  /**
   * Points trained at once: the plan's setting, or (auto) as many as the cluster's cores hold when
   * each point uses its own workers' cores.
   */
  int concurrency(SweepPlan plan) {
    if (plan.concurrency() != SweepSettings.AUTO_CONCURRENCY) {
      return plan.concurrency();
    }
    int cores = defaultParallelism;
    int workers =
        plan.points().stream().mapToInt(p -> p.train().resolveWorkers(cores)).max().orElse(cores);
    return Math.max(1, cores / Math.max(1, workers));
  }

  /**
   * Trains {@code todo} on a pool of {@code concurrency} threads, each point in its own Spark job
   * group. After a failure no further point starts; the points in flight finish and commit, then
   * the first failure is rethrown.
   */
  private void runConcurrently(
      List<Integer> todo, SweepPlan plan, Provenance provenance, int concurrency) {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, new PointThreads());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i : todo) {
        futures.add(
            pool.submit(
                () -> {
                  if (failure.get() != null) {
                    return;
                  }
                  try {
                    trainAndCommit(i, plan, provenance);
                  } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while points were training", e);
        } catch (ExecutionException e) {
          failure.compareAndSet(null, new IllegalStateException(e.getCause()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Names the sweep's threads after what they do (visible in thread dumps and profiles). */
  private static final class PointThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "echo-lstm-point-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  private static String progress(int i, List<SweepPoint> points) {
    return "point " + (i + 1) + "/" + points.size();
  }

  /** What a point is doing, for the failure report. */
  private final class Stage {
    private final SweepPoint point;
    private volatile String name;

    Stage(SweepPoint point) {
      this.point = point;
    }

    void enter(String stage) {
      name = stage;
      onStage.accept(point, stage);
    }
  }

  /**
   * Trains point {@code i} in its own Spark job group, saves its network when the plan says so, and
   * commits its row (after the model, so a committed row never names a missing model).
   *
   * @throws PointFailedException whatever the point threw (a Spark exception, an {@link Error} such
   *     as an assertion or out-of-memory error), naming the point and the stage
   */
  private void trainAndCommit(int i, SweepPlan plan, Provenance provenance) {
    List<SweepPoint> points = plan.points();
    SweepPoint point = points.get(i);
    String progress = progress(i, points);
    LOG.info("{} [{}]: starting, point id {}", progress, point.label(), point.id());
    jsc.setJobGroup(point.id(), progress + " " + point.label(), false);
    Stage stage = new Stage(point);
    try {
      stage.enter("preparing data");
      ResultRow row = runPoint(point, progress, provenance, stage, plan.savesModel(point));
      stage.enter("committing");
      if (guard != null) {
        guard.ensureHeld();
      }
      results.write(row);
      LOG.info(
          "{} [{}]: accuracy {} (chance {}), loss {}, {} eval windows, trained {} s ({});"
              + " committed",
          progress,
          point.label(),
          String.format("%.4f", row.outcome().accuracy()),
          String.format("%.4f", row.outcome().chanceAccuracy()),
          String.format("%.4f", row.outcome().loss()),
          row.outcome().evalWindows(),
          String.format("%.1f", row.outcome().trainSeconds()),
          row.outcome().stopReason());
      LOG.info("sweep: {}", sweepProgress.pointDone(System.nanoTime()));
    } catch (Throwable t) {
      // Errors too: an AssertionError or an OutOfMemoryError must reach the user as this point's
      // failure, not as a bare "Exception in thread main".
      throw new PointFailedException(progress, point.label(), stage.name, t);
    } finally {
      jsc.clearJobGroup();
    }
  }

  /** The frames of one seed stream, co-located by sequence in {@code partitions} partitions. */
  private Dataset<Row> frames(SweepPoint point, long stream, int sequences, int partitions) {
    var data = point.data();
    return WindowFrames.frame(
        SequenceFrames.generate(
            spark,
            point.seed(),
            stream,
            sequences,
            data.partitions(),
            data.values(),
            data.sequenceLength()),
        point.variant(),
        point.window(),
        point.lag(),
        data.sequenceLength(),
        partitions);
  }

  /**
   * Where the Export approach writes a point's minibatches: one fixed directory per run and point
   * under {@code hadoop.tmp.dir} (dl4j-spark's default root), so a rerun of a crashed run deletes
   * what the crash left before it trains the point again.
   */
  private String exportDirectory(SweepPoint point) {
    String tmp = jsc.hadoopConfiguration().get("hadoop.tmp.dir");
    return tmp + (tmp.endsWith("/") ? "" : "/") + "echo-lstm-export-" + runId + "-" + point.id();
  }

  /**
   * Trains, evaluates and describes one point. Its log lines start with {@code tag} (e.g. "point
   * 3/8"), so the lines of points trained at once can be told apart.
   */
  private ResultRow runPoint(
      SweepPoint point, String tag, Provenance provenance, Stage stage, boolean saveModel) {
    Instant started = Instant.now();
    var data = point.data();
    var train = point.train();
    Variant variant = point.variant();
    Inputs inputs = new Inputs(variant, data.values(), point.window());

    long trainWindowCount = (long) data.trainSequences() * point.windowsPerSequence();
    // A stateful frame is a whole sequence: it counts as that sequence's labelled windows.
    long windowsPerFrame = variant == Variant.STATEFUL ? point.windowsPerSequence() : 1;
    MultiLayerConfiguration conf =
        NetworkFactory.build(
            variant,
            data.values(),
            point.hidden(),
            train.learningRate(),
            point.seed(),
            point.window(),
            point.model().lstm());
    List<HistoryEntry> history = new ArrayList<>();
    StopRule rule = new StopRule(train.targetAccuracy(), train.patience(), train.minImprovement());
    StopRule.Reason reason = null;
    Metrics validation = null;
    Long windowsToTarget = null;
    Double secondsToTarget = null;
    int epochs = 0;
    JavaRDD<Frame> validationFrames = null;
    JavaRDD<Frame> testFrames = null;
    long prepareStart = System.nanoTime();
    try (DistributedTrainer trainer =
            new DistributedTrainer(
                jsc, conf, train, defaultParallelism, point.seed(), exportDirectory(point));
        Minibatches batches =
            Minibatches.build(
                // One partition of frames per worker: each becomes one worker's minibatches.
                frames(point, Seeds.TRAIN_STREAM, data.trainSequences(), trainer.workers()),
                train.batchSize(),
                point.seed(),
                inputs)) {
      validationFrames =
          DistributedEvaluator.cache(
              frames(
                  point, Seeds.VALIDATION_STREAM, data.validationSequences(), data.partitions()));
      testFrames =
          DistributedEvaluator.cache(
              frames(point, Seeds.EVAL_STREAM, data.evalSequences(), data.partitions()));
      double prepareSeconds = (System.nanoTime() - prepareStart) / 1e9;
      int chunks = chunksPerEpoch(trainWindowCount, point.eval().everyWindows(), batches);
      LOG.info(
          "{}: training on {} windows x up to {} epochs ({} minibatches of up to {} in {} partitions,"
              + " validation every {} chunk(s) of ~{} windows){}; data prepared in {} s",
          tag,
          trainWindowCount,
          train.epochs(),
          Arrays.stream(batches.minibatchesPerPartition()).sum(),
          train.batchSize(),
          trainer.workers(),
          chunks,
          trainWindowCount / chunks,
          train.targetAccuracy().isPresent()
              ? ", until validation accuracy " + train.targetAccuracy().getAsDouble()
              : "",
          String.format("%.1f", prepareSeconds));
      training:
      while (epochs < train.epochs()) {
        epochs++;
        for (int c = 0; c < chunks; c++) {
          long frames = batches.chunkExamples(epochs, c, chunks);
          if (frames == 0) {
            continue;
          }
          stage.enter("training");
          trainer.fit(batches.chunk(epochs, c, chunks), frames * windowsPerFrame);
          stage.enter("validating");
          validation =
              DistributedEvaluator.evaluate(
                  jsc, trainer.network(), inputs, validationFrames, point.eval().batchSize());
          history.add(
              new HistoryEntry(
                  epochs,
                  trainer.windows(),
                  trainer.seconds(),
                  validation.accuracy(),
                  nullIfNaN(validation.reachableAccuracy()),
                  validation.meanLoss()));
          LOG.info(
              "{}: epoch {} chunk {}/{}: {} windows in {} s ({} windows/s), validation accuracy {}"
                  + " (reachable {}), loss {}",
              tag,
              epochs,
              c + 1,
              chunks,
              trainer.windows(),
              String.format("%.1f", trainer.seconds()),
              String.format("%.0f", trainer.windows() / Math.max(trainer.seconds(), 1e-9)),
              String.format("%.4f", validation.accuracy()),
              String.format("%.4f", validation.reachableAccuracy()),
              String.format("%.4f", validation.meanLoss()));
          reason = rule.observe(headline(validation), validation.meanLoss()).orElse(null);
          if (reason == StopRule.Reason.TARGET) {
            windowsToTarget = trainer.windows();
            secondsToTarget = trainer.seconds();
          }
          if (reason == null
              && train.maxSeconds().isPresent()
              && trainer.seconds() >= train.maxSeconds().getAsDouble()) {
            reason = StopRule.Reason.BUDGET;
          }
          if (reason != null) {
            break training;
          }
        }
      }
      if (reason == null) {
        reason = StopRule.Reason.BUDGET;
      }
      LOG.info(
          "{}: stopped ({}) after {} windows in {} s",
          tag,
          reason.id(),
          trainer.windows(),
          String.format("%.1f", trainer.seconds()));
      double seconds = trainer.seconds();
      trainer
          .trainingStats()
          .ifPresent(s -> LOG.info("{}: dl4j-spark training stats:\n{}", tag, s));

      stage.enter("evaluating");
      Metrics metrics =
          DistributedEvaluator.evaluate(
              jsc, trainer.network(), inputs, testFrames, point.eval().batchSize());
      int[][] sample =
          new Scorer(trainer.network(), inputs, point.eval().batchSize())
              .expectedAndPredicted(DistributedEvaluator.sample(testFrames, 0));
      LOG.info("{}: test sequence 0, expected:  {}", tag, Arrays.toString(sample[0]));
      LOG.info("{}: test sequence 0, predicted: {}", tag, Arrays.toString(sample[1]));
      String modelPath = null;
      if (saveModel) {
        stage.enter("saving the model");
        MultiLayerNetwork network = trainer.network();
        ModelInfo info =
            new ModelInfo(
                variant,
                point.window(),
                point.lag(),
                data.values(),
                point.hidden(),
                data.sequenceLength(),
                point.experiment(),
                runId,
                point.id(),
                point.key());
        modelPath =
            results.models().save(runId, point.id(), out -> ModelFile.write(network, info, out));
        LOG.info("{}: model saved as {} in {}", tag, modelPath, results.dir());
      }

      double windowsPerSecond = trainer.windows() / Math.max(seconds, 1e-9);
      PointOutcome outcome =
          new PointOutcome(
              metrics.accuracy(),
              nullIfNaN(metrics.reachableAccuracy()),
              variant.perStepOutput() ? nullIfNaN(metrics.exactMatchAccuracy()) : null,
              metrics.meanLoss(),
              data.chanceAccuracy(),
              validation == null ? null : nullIfNaN(headline(validation)),
              validation == null ? null : nullIfNaN(validation.meanLoss()),
              // A stateful frame is a whole sequence; its windows are its labelled steps.
              variant == Variant.STATEFUL ? metrics.labels() : metrics.samples(),
              metrics.labels(),
              trainWindowCount,
              epochs,
              reason.id(),
              windowsToTarget,
              secondsToTarget,
              history,
              seconds,
              prepareSeconds,
              windowsPerSecond,
              trainer.score(),
              Arrays.toString(sample[0]),
              Arrays.toString(sample[1]),
              modelPath,
              started,
              Instant.now());
      return new ResultRow(
          new PointIdentity(runId, point.id(), point.key(), point.experiment(), point.control()),
          point.withWorkers(trainer.workers()),
          outcome,
          provenance);
    } finally {
      unpersist(validationFrames);
      unpersist(testFrames);
    }
  }

  /**
   * Evaluation chunks per epoch: about one per {@code everyWindows} training windows, at least one,
   * and no more than the largest partition has minibatches (so no chunk is empty everywhere).
   */
  static int chunksPerEpoch(long epochWindows, int everyWindows, Minibatches batches) {
    int most = Math.max(1, Arrays.stream(batches.minibatchesPerPartition()).max().orElse(1));
    long wanted = Math.max(1, Math.round((double) epochWindows / everyWindows));
    return (int) Math.min(most, wanted);
  }

  private static void unpersist(JavaRDD<?> rdd) {
    if (rdd != null) {
      rdd.unpersist(false);
    }
  }

  /** The accuracy a target is judged on: over reachable labels when the variant has any. */
  static double headline(Metrics m) {
    return Double.isNaN(m.reachableAccuracy()) ? m.accuracy() : m.reachableAccuracy();
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
