package io.echolstm.sweep;

import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceFrames;
import io.echolstm.eval.DistributedEvaluator;
import io.echolstm.eval.Metrics;
import io.echolstm.eval.Scorer;
import io.echolstm.model.NetworkFactory;
import io.echolstm.results.ResultRow;
import io.echolstm.results.ResultsTable;
import io.echolstm.train.DistributedTrainer;
import io.echolstm.train.RowToDataSet;
import io.echolstm.window.WindowFrames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

  private ResultRow runPoint(SweepPoint point, Provenance provenance) {
    Instant started = Instant.now();
    var data = point.data();
    var train = point.train();

    Dataset<Row> trainWindows =
        WindowFrames.frame(
            SequenceFrames.generate(
                spark,
                point.seed(),
                Seeds.TRAIN_STREAM,
                data.trainSequences(),
                data.partitions(),
                data.values(),
                data.sequenceLength()),
            point.window(),
            point.lag(),
            data.partitions());
    long trainWindowCount = (long) data.trainSequences() * point.windowsPerSequence();
    JavaRDD<DataSet> trainingData = trainWindows.toJavaRDD().map(new RowToDataSet(data.values()));
    MultiLayerConfiguration conf =
        NetworkFactory.stateless(data.values(), point.hidden(), train.learningRate(), point.seed());
    LOG.info(
        "training on {} windows x {} epochs ({} sequences in {} partitions)",
        trainWindowCount,
        train.epochs(),
        data.trainSequences(),
        data.partitions());
    DistributedTrainer.Outcome outcome =
        DistributedTrainer.train(jsc, conf, train, point.seed(), trainingData, trainWindowCount);

    Dataset<Row> evalWindows =
        WindowFrames.frame(
            SequenceFrames.generate(
                spark,
                point.seed(),
                Seeds.EVAL_STREAM,
                data.evalSequences(),
                data.partitions(),
                data.values(),
                data.sequenceLength()),
            point.window(),
            point.lag(),
            data.partitions());
    LOG.info("evaluating on {} held-out sequences", data.evalSequences());
    Metrics metrics =
        DistributedEvaluator.evaluate(
            jsc, outcome.network(), evalWindows, data.values(), point.evalBatchSize());

    Scorer.Window[] sample = DistributedEvaluator.sample(evalWindows, 0);
    int[][] sampleFeatures = new int[sample.length][];
    int[] expected = new int[sample.length];
    for (int i = 0; i < sample.length; i++) {
      sampleFeatures[i] = sample[i].features();
      expected[i] = sample[i].label();
    }
    int[] predicted =
        sample.length == 0
            ? new int[0]
            : new Scorer(outcome.network(), data.values(), point.evalBatchSize())
                .predict(sampleFeatures);
    LOG.info("held-out sequence 0, expected:  {}", Arrays.toString(expected));
    LOG.info("held-out sequence 0, predicted: {}", Arrays.toString(predicted));

    double windowsPerSecond = trainWindowCount * train.epochs() / Math.max(outcome.seconds(), 1e-9);
    return new ResultRow(
        runId,
        point.id(),
        point.key(),
        point.experiment(),
        point.variant().id(),
        point.control(),
        point.lag(),
        point.window(),
        point.hidden(),
        point.seed(),
        metrics.accuracy(),
        metrics.meanLoss(),
        data.chanceAccuracy(),
        metrics.windows(),
        trainWindowCount,
        train.epochs(),
        outcome.seconds(),
        windowsPerSecond,
        outcome.score(),
        Arrays.toString(expected),
        Arrays.toString(predicted),
        data.values(),
        data.sequenceLength(),
        data.trainSequences(),
        data.evalSequences(),
        data.partitions(),
        outcome.workers(),
        train.batchSize(),
        train.averagingFrequency(),
        train.prefetch(),
        train.saveUpdater(),
        train.approach().name().toLowerCase(java.util.Locale.ROOT),
        train.repartition().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        train.learningRate(),
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
