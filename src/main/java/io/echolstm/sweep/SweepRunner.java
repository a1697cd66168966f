package io.echolstm.sweep;

import io.echolstm.config.Variant;
import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceFrames;
import io.echolstm.eval.DistributedEvaluator;
import io.echolstm.eval.Metrics;
import io.echolstm.eval.Scorer;
import io.echolstm.model.NetworkFactory;
import io.echolstm.results.HistoryEntry;
import io.echolstm.results.ResultRow;
import io.echolstm.results.ResultsTable;
import io.echolstm.train.DistributedTrainer;
import io.echolstm.train.RowToDataSet;
import io.echolstm.window.WindowFrames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains and evaluates each point of a plan in turn and commits its row as soon as it is done, so a
 * failure loses at most the point in flight. Points the run already committed are skipped.
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

  public SweepRunner(SparkSession spark, ResultsTable results, String runId, boolean overwrite) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.results = results;
    this.runId = runId;
    this.overwrite = overwrite;
  }

  public Summary run(SweepPlan plan) {
    int abandoned = results.removeAbandonedStaging(runId);
    if (abandoned > 0) {
      LOG.info("removed {} staging dirs a crashed writer of run {} left", abandoned, runId);
    }
    Set<String> done = overwrite ? Set.of() : results.committedPoints(runId);
    Provenance provenance = Provenance.of(spark);
    int trained = 0;
    int skipped = 0;
    List<String> ids = new ArrayList<>();
    List<SweepPoint> points = plan.points();
    for (int i = 0; i < points.size(); i++) {
      SweepPoint point = points.get(i);
      String progress = "point " + (i + 1) + "/" + points.size();
      ids.add(point.id());
      if (done.contains(point.id())) {
        LOG.info("{} [{}]: already in run {}, skipped", progress, point.label(), runId);
        skipped++;
        continue;
      }
      LOG.info("{} [{}]: starting, point id {}", progress, point.label(), point.id());
      jsc.setJobGroup(point.id(), progress + " " + point.label(), false);
      try {
        ResultRow row = runPoint(point, provenance);
        results.write(row);
        LOG.info(
            "{} [{}]: accuracy {} (chance {}), loss {}, {} eval windows, trained {} s; committed",
            progress,
            point.label(),
            String.format("%.4f", row.accuracy()),
            String.format("%.4f", row.chanceAccuracy()),
            String.format("%.4f", row.loss()),
            row.evalWindows(),
            String.format("%.1f", row.trainSeconds()));
      } finally {
        jsc.clearJobGroup();
      }
      trained++;
    }
    return new Summary(trained, skipped, List.copyOf(ids));
  }

  private Dataset<Row> frames(SweepPoint point, long stream, int sequences) {
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
        data.partitions());
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

  private ResultRow runPoint(SweepPoint point, Provenance provenance) {
    Instant started = Instant.now();
    var data = point.data();
    var train = point.train();
    Variant variant = point.variant();

    long trainWindowCount = (long) data.trainSequences() * point.windowsPerSequence();
    JavaRDD<DataSet> trainingData =
        frames(point, Seeds.TRAIN_STREAM, data.trainSequences())
            .toJavaRDD()
            .map(new RowToDataSet(data.values(), variant));
    Dataset<Row> evalFrames = frames(point, Seeds.EVAL_STREAM, data.evalSequences());
    MultiLayerConfiguration conf =
        NetworkFactory.build(
            variant,
            data.values(),
            point.hidden(),
            train.learningRate(),
            point.seed(),
            point.window());
    LOG.info(
        "training on {} windows x up to {} epochs ({} sequences in {} partitions){}",
        trainWindowCount,
        train.epochs(),
        data.trainSequences(),
        data.partitions(),
        train.targetAccuracy().isPresent()
            ? ", until accuracy " + train.targetAccuracy().getAsDouble()
            : "");

    List<HistoryEntry> history = new ArrayList<>();
    Metrics metrics = null;
    Long windowsToTarget = null;
    Double secondsToTarget = null;
    int epochs = 0;
    try (DistributedTrainer trainer =
        new DistributedTrainer(jsc, conf, train, point.seed(), exportDirectory(point))) {
      while (epochs < train.epochs()) {
        trainer.fitEpoch(trainingData);
        epochs++;
        boolean outOfTime =
            train.maxSeconds().isPresent() && trainer.seconds() >= train.maxSeconds().getAsDouble();
        boolean last = epochs == train.epochs() || outOfTime;
        LOG.info(
            "epoch {}/{}: score {} after {} s ({} windows/s, {} workers)",
            epochs,
            train.epochs(),
            String.format("%.4f", trainer.score()),
            String.format("%.1f", trainer.seconds()),
            String.format("%.0f", trainWindowCount * epochs / Math.max(trainer.seconds(), 1e-9)),
            trainer.workers());
        if (epochs % train.evalEveryEpochs() != 0 && !last) {
          continue;
        }
        metrics =
            DistributedEvaluator.evaluate(
                jsc, trainer.network(), variant, evalFrames, data.values(), point.evalBatchSize());
        double headline = headline(metrics);
        history.add(
            new HistoryEntry(
                epochs,
                trainWindowCount * epochs,
                trainer.seconds(),
                metrics.accuracy(),
                nullIfNaN(metrics.reachableAccuracy()),
                metrics.meanLoss()));
        LOG.info(
            "epoch {}: held-out accuracy {} (reachable {}), loss {}",
            epochs,
            String.format("%.4f", metrics.accuracy()),
            String.format("%.4f", metrics.reachableAccuracy()),
            String.format("%.4f", metrics.meanLoss()));
        if (train.targetAccuracy().isPresent()
            && headline >= train.targetAccuracy().getAsDouble()) {
          windowsToTarget = trainWindowCount * epochs;
          secondsToTarget = trainer.seconds();
          LOG.info("target accuracy reached after {} windows", windowsToTarget);
          break;
        }
        if (outOfTime) {
          LOG.info("time budget of {} s used up", train.maxSeconds().getAsDouble());
          break;
        }
      }
      double seconds = trainer.seconds();

      int[][] sample =
          new Scorer(trainer.network(), variant, data.values(), point.evalBatchSize())
              .expectedAndPredicted(DistributedEvaluator.sample(evalFrames, 0));
      LOG.info("held-out sequence 0, expected:  {}", Arrays.toString(sample[0]));
      LOG.info("held-out sequence 0, predicted: {}", Arrays.toString(sample[1]));

      double windowsPerSecond = trainWindowCount * epochs / Math.max(seconds, 1e-9);
      return new ResultRow(
          runId,
          point.id(),
          point.key(),
          point.experiment(),
          variant.id(),
          point.control(),
          point.lag(),
          point.window(),
          point.hidden(),
          point.seed(),
          metrics.accuracy(),
          nullIfNaN(metrics.reachableAccuracy()),
          variant.perStepOutput() ? nullIfNaN(metrics.exactMatchAccuracy()) : null,
          metrics.meanLoss(),
          data.chanceAccuracy(),
          // A stateful frame is a whole sequence; its windows are its labelled steps.
          variant == Variant.STATEFUL ? metrics.labels() : metrics.samples(),
          metrics.labels(),
          trainWindowCount,
          epochs,
          train.targetAccuracy().isPresent() ? train.targetAccuracy().getAsDouble() : null,
          windowsToTarget,
          secondsToTarget,
          history,
          seconds,
          windowsPerSecond,
          trainer.score(),
          Arrays.toString(sample[0]),
          Arrays.toString(sample[1]),
          data.values(),
          data.sequenceLength(),
          data.trainSequences(),
          data.evalSequences(),
          data.partitions(),
          trainer.workers(),
          train.batchSize(),
          train.averagingFrequency(),
          train.prefetch(),
          train.saveUpdater(),
          train.approach().name().toLowerCase(Locale.ROOT),
          train.repartition().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          train.learningRate(),
          train.epochs(),
          train.maxSeconds().isPresent() ? train.maxSeconds().getAsDouble() : null,
          train.evalEveryEpochs(),
          point.evalBatchSize(),
          provenance.master(),
          provenance.sparkVersion(),
          provenance.dl4jVersion(),
          provenance.javaVersion(),
          provenance.osName(),
          provenance.osArch(),
          started,
          Instant.now());
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
