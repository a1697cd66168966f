package io.echolstm.sweep;

import io.echolstm.config.Variant;
import io.echolstm.eval.Metrics;
import io.echolstm.results.ModelStore;
import io.echolstm.results.PointIdentity;
import io.echolstm.results.PointOutcome;
import io.echolstm.results.Provenance;
import io.echolstm.results.ResultRow;
import java.time.Instant;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one point through its {@link PointStages} in its own Spark job group: prepares its data,
 * trains, evaluates and releases its data; then hands the point to the run's {@link Committer},
 * which (when the plan says so) saves its network and then commits its row (after the model, so a
 * committed row never names a missing model) while the next point trains.
 */
final class PointPipeline implements PointScheduler.Task {
  private static final Logger LOG = LoggerFactory.getLogger(PointPipeline.class);

  private final RunContext run;
  private final PointStages stages;
  private final Provenance provenance;
  private final SweepProgress progress;
  private final Committer committer;

  PointPipeline(
      RunContext run,
      PointStages stages,
      Provenance provenance,
      SweepProgress progress,
      Committer committer) {
    this.run = run;
    this.stages = stages;
    this.provenance = provenance;
    this.progress = progress;
    this.committer = committer;
  }

  /**
   * Trains and evaluates the point and queues its commit; returns its row as it will be committed.
   *
   * @throws PointFailedException whatever the point threw (a Spark exception, an {@link Error} such
   *     as an assertion or out-of-memory error), naming the point and the stage; or, before the
   *     point starts, an earlier point's failed commit
   */
  @Override
  public ResultRow run(PlannedPoint planned) {
    PointFailedException earlier = committer.failure();
    if (earlier != null) {
      throw earlier;
    }
    SweepPoint point = planned.point();
    String tag = planned.progress();
    LOG.info("{} [{}]: starting, point id {}", tag, point.label(), point.id());
    run.jsc().setJobGroup(point.id(), tag + " " + point.label(), false);
    PointStage stage = new PointStage();
    try {
      stage.enter("preparing data");
      Finished finished = trainAndEvaluate(planned, stage);
      committer.submit(planned, at -> commit(planned, finished, at));
      return finished.row();
    } catch (Throwable t) {
      // Errors too: an AssertionError or an OutOfMemoryError must reach the user as this point's
      // failure, not as a bare "Exception in thread main".
      throw new PointFailedException(tag, point.label(), stage.name(), t);
    } finally {
      run.jsc().clearJobGroup();
    }
  }

  /** A point trained and evaluated: its row, and the network its model file holds. */
  private record Finished(ResultRow row, MultiLayerNetwork network) {}

  /** Saves the point's network when the plan says so, then commits its row (the committer's). */
  private void commit(PlannedPoint planned, Finished finished, PointStage stage) {
    SweepPoint point = planned.point();
    ResultRow row = finished.row();
    run.jsc().setJobGroup(point.id(), planned.progress() + " " + point.label(), false);
    try {
      if (planned.saveModel()) {
        stage.enter("saving the model");
        stages.save().save(planned, finished.network());
      }
      stage.enter("committing");
      stages.commit().commit(planned, row);
    } finally {
      run.jsc().clearJobGroup();
    }
    LOG.info(
        "{} [{}]: accuracy {} (chance {}), loss {}, {} eval windows, trained {} s ({});"
            + " committed",
        planned.progress(),
        point.label(),
        String.format("%.4f", row.outcome().accuracy()),
        String.format("%.4f", row.outcome().chanceAccuracy()),
        String.format("%.4f", row.outcome().loss()),
        row.outcome().evalWindows(),
        String.format("%.1f", row.outcome().trainSeconds()),
        row.outcome().stopReason());
    LOG.info("sweep: {}", progress.pointDone(System.nanoTime()));
  }

  /**
   * The point's row up to the evaluation, naming the model file the committer will save when the
   * plan says so; its data is released before it returns.
   */
  private Finished trainAndEvaluate(PlannedPoint planned, PointStage stage) {
    Instant started = Instant.now();
    try (PointData data = stages.prepare().prepare(planned)) {
      stage.enter("training");
      PointTrainer.Trained trained = stages.train().train(planned, data, stage);
      stage.enter("evaluating");
      long testing = System.nanoTime();
      PointStages.Tested tested = stages.evaluate().evaluate(planned, data, trained.network());
      double testSeconds = (System.nanoTime() - testing) / 1e9;
      SweepPoint point = planned.point();
      String modelPath =
          planned.saveModel() ? ModelStore.relativePath(run.runId(), point.id()) : null;
      ResultRow row =
          new ResultRow(
              new PointIdentity(
                  run.runId(), point.id(), point.key(), point.experiment(), point.control()),
              point.withWorkers(trained.workers()),
              outcome(point, data, trained, tested, testSeconds, modelPath, started),
              provenance);
      return new Finished(row, trained.network());
    }
  }

  /** The row's measurements, from what the stages returned. */
  static PointOutcome outcome(
      SweepPoint point,
      PointData data,
      PointTrainer.Trained trained,
      PointStages.Tested tested,
      double testSeconds,
      String modelPath,
      Instant started) {
    Variant variant = point.variant();
    Metrics metrics = tested.metrics();
    Metrics validation = trained.validation();
    return new PointOutcome(
        metrics.accuracy(),
        nullIfNaN(metrics.reachableAccuracy()),
        variant.perStepOutput() ? nullIfNaN(metrics.exactMatchAccuracy()) : null,
        metrics.meanLoss(),
        point.data().chanceAccuracy(),
        validation == null ? null : nullIfNaN(StopRule.headline(validation)),
        validation == null ? null : nullIfNaN(validation.meanLoss()),
        // A stateful frame is a whole sequence; its windows are its labelled steps.
        variant == Variant.STATEFUL ? metrics.labels() : metrics.samples(),
        metrics.labels(),
        data.trainWindows(),
        trained.epochs(),
        trained.reason().id(),
        trained.windowsToTarget(),
        trained.secondsToTarget(),
        trained.history(),
        trained.seconds(),
        data.prepareSeconds(),
        trained.validationSeconds(),
        testSeconds,
        trained.windows() / Math.max(trained.seconds(), 1e-9),
        trained.score(),
        tested.sampleExpected(),
        tested.samplePredicted(),
        modelPath,
        started,
        Instant.now());
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
