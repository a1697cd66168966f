package io.echolstm.sweep;

import io.echolstm.config.Variant;
import io.echolstm.eval.DistributedEvaluator;
import io.echolstm.eval.Metrics;
import io.echolstm.model.NetworkFactory;
import io.echolstm.results.HistoryEntry;
import io.echolstm.train.DistributedTrainer;
import io.echolstm.train.Minibatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a point with dl4j-spark parameter averaging ({@link DistributedTrainer}), one chunk of its
 * minibatches at a time, and validates after each chunk: about one chunk per {@code
 * eval.every-windows} training windows. Stops at the target, at a plateau, when the seconds budget
 * is spent, or after the last epoch.
 */
final class AveragingPointTrainer implements PointTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(AveragingPointTrainer.class);

  private final RunContext run;

  AveragingPointTrainer(RunContext run) {
    this.run = run;
  }

  @Override
  public Trained train(PlannedPoint planned, PointData data, PointStage stage) {
    SweepPoint point = planned.point();
    var train = point.train();
    MultiLayerConfiguration conf =
        NetworkFactory.build(
            point.variant(),
            point.data().values(),
            point.hidden(),
            train.learningRate(),
            point.seed(),
            point.window(),
            point.model().lstm());
    try (DistributedTrainer trainer =
        DistributedTrainer.create(
            train.averaging(),
            run.jsc(),
            conf,
            train,
            point.workers(run.defaultParallelism()),
            point.seed(),
            exportDirectory(point))) {
      return fitUntilStopped(planned, data, stage, trainer);
    }
  }

  /**
   * Fits chunk after chunk, validating after each, until the target, a plateau, the seconds budget,
   * or the end of the last epoch.
   */
  private Trained fitUntilStopped(
      PlannedPoint planned, PointData data, PointStage stage, DistributedTrainer trainer) {
    SweepPoint point = planned.point();
    String tag = planned.progress();
    var train = point.train();
    // A stateful frame is a whole sequence: it counts as that sequence's labelled windows.
    long windowsPerFrame = point.variant() == Variant.STATEFUL ? point.windowsPerSequence() : 1;
    Minibatches batches = data.batches();
    int unit = trainer.chunkUnit();
    int chunks =
        batches.chunksPerEpoch(
            Math.round((double) data.trainWindows() / point.eval().everyWindows()), unit);
    logStart(tag, point, data, trainer, chunks);
    List<HistoryEntry> history = new ArrayList<>();
    StopRule rule = new StopRule(train.targetAccuracy(), train.patience(), train.minImprovement());
    StopRule.Reason reason = null;
    Metrics validation = null;
    Long windowsToTarget = null;
    Double secondsToTarget = null;
    double validationSeconds = 0;
    int epochs = 0;
    training:
    while (epochs < train.epochs()) {
      epochs++;
      for (int c = 0; c < chunks; c++) {
        long frames = batches.chunkExamples(epochs, c, chunks, unit);
        if (frames == 0) {
          continue;
        }
        stage.enter("training");
        trainer.fit(batches, epochs, c, chunks, frames * windowsPerFrame);
        stage.enter("validating");
        long validating = System.nanoTime();
        validation = validate(point, data, trainer);
        validationSeconds += (System.nanoTime() - validating) / 1e9;
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
        reason = rule.observe(StopRule.headline(validation), validation.meanLoss()).orElse(null);
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
    trainer.trainingStats().ifPresent(s -> LOG.info("{}: training stats:\n{}", tag, s));
    return new Trained(
        trainer.network(),
        trainer.workers(),
        epochs,
        reason,
        windowsToTarget,
        secondsToTarget,
        history,
        validation,
        trainer.windows(),
        trainer.seconds(),
        trainer.score(),
        validationSeconds);
  }

  /** The network as trained so far, scored on the validation stream on the executors. */
  private Metrics validate(SweepPoint point, PointData data, DistributedTrainer trainer) {
    return DistributedEvaluator.evaluate(
        run.jsc(), trainer.network(), data.inputs(), data.validation(), point.eval().batchSize());
  }

  private static void logStart(
      String tag, SweepPoint point, PointData data, DistributedTrainer trainer, int chunks) {
    var train = point.train();
    long windows = data.trainWindows();
    LOG.info(
        "{}: training on {} windows x up to {} epochs ({} minibatches of up to {} in {} partitions,"
            + " validation every {} chunk(s) of ~{} windows){}; data prepared in {} s",
        tag,
        windows,
        train.epochs(),
        Arrays.stream(data.batches().minibatchesPerPartition()).sum(),
        train.batchSize(),
        trainer.workers(),
        chunks,
        windows / chunks,
        train.targetAccuracy().isPresent()
            ? ", until validation accuracy " + train.targetAccuracy().getAsDouble()
            : "",
        String.format("%.1f", data.prepareSeconds()));
  }

  /**
   * Where the Export approach writes a point's minibatches: one fixed directory per run and point
   * under {@code hadoop.tmp.dir} (dl4j-spark's default root), so a rerun of a crashed run deletes
   * what the crash left before it trains the point again.
   */
  private String exportDirectory(SweepPoint point) {
    String tmp = run.jsc().hadoopConfiguration().get("hadoop.tmp.dir");
    return tmp
        + (tmp.endsWith("/") ? "" : "/")
        + "echo-lstm-export-"
        + run.runId()
        + "-"
        + point.id();
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
