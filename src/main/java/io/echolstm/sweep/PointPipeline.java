package io.echolstm.sweep;

import io.echolstm.config.Variant;
import io.echolstm.eval.Metrics;
import io.echolstm.results.PointIdentity;
import io.echolstm.results.PointOutcome;
import io.echolstm.results.Provenance;
import io.echolstm.results.ResultRow;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one point through its {@link PointStages} in its own Spark job group: prepares its data,
 * trains, evaluates and (when the plan says so) saves its network, releases its data, then commits
 * its row (after the model, so a committed row never names a missing model).
 */
final class PointPipeline implements PointScheduler.Task {
  private static final Logger LOG = LoggerFactory.getLogger(PointPipeline.class);

  private final RunContext run;
  private final PointStages stages;
  private final Provenance provenance;
  private final SweepProgress progress;

  PointPipeline(RunContext run, PointStages stages, Provenance provenance, SweepProgress progress) {
    this.run = run;
    this.stages = stages;
    this.provenance = provenance;
    this.progress = progress;
  }

  /**
   * @throws PointFailedException whatever the point threw (a Spark exception, an {@link Error} such
   *     as an assertion or out-of-memory error), naming the point and the stage
   */
  @Override
  public ResultRow run(PlannedPoint planned) {
    SweepPoint point = planned.point();
    String tag = planned.progress();
    LOG.info("{} [{}]: starting, point id {}", tag, point.label(), point.id());
    run.jsc().setJobGroup(point.id(), tag + " " + point.label(), false);
    PointStage stage = new PointStage();
    try {
      stage.enter("preparing data");
      ResultRow row = trainAndEvaluate(planned, stage);
      stage.enter("committing");
      stages.commit().commit(planned, row);
      LOG.info(
          "{} [{}]: accuracy {} (chance {}), loss {}, {} eval windows, trained {} s ({});"
              + " committed",
          tag,
          point.label(),
          String.format("%.4f", row.outcome().accuracy()),
          String.format("%.4f", row.outcome().chanceAccuracy()),
          String.format("%.4f", row.outcome().loss()),
          row.outcome().evalWindows(),
          String.format("%.1f", row.outcome().trainSeconds()),
          row.outcome().stopReason());
      LOG.info("sweep: {}", progress.pointDone(System.nanoTime()));
      return row;
    } catch (Throwable t) {
      // Errors too: an AssertionError or an OutOfMemoryError must reach the user as this point's
      // failure, not as a bare "Exception in thread main".
      throw new PointFailedException(tag, point.label(), stage.name(), t);
    } finally {
      run.jsc().clearJobGroup();
    }
  }

  /** The point's row from its stages up to the save; its data is released before it returns. */
  private ResultRow trainAndEvaluate(PlannedPoint planned, PointStage stage) {
    Instant started = Instant.now();
    try (PointData data = stages.prepare().prepare(planned)) {
      stage.enter("training");
      PointTrainer.Trained trained = stages.train().train(planned, data, stage);
      stage.enter("evaluating");
      PointStages.Tested tested = stages.evaluate().evaluate(planned, data, trained.network());
      String modelPath = null;
      if (planned.saveModel()) {
        stage.enter("saving the model");
        modelPath = stages.save().save(planned, trained.network());
      }
      SweepPoint point = planned.point();
      return new ResultRow(
          new PointIdentity(
              run.runId(), point.id(), point.key(), point.experiment(), point.control()),
          point.withWorkers(trained.workers()),
          outcome(point, data, trained, tested, modelPath, started),
          provenance);
    }
  }

  /** The row's measurements, from what the stages returned. */
  static PointOutcome outcome(
      SweepPoint point,
      PointData data,
      PointTrainer.Trained trained,
      PointStages.Tested tested,
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
