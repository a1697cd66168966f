package io.echolstm.sweep;

import io.echolstm.eval.Metrics;
import io.echolstm.results.ResultRow;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The stages a point goes through, each with one job: prepare its data, train its network until a
 * stop rule fires, evaluate it on the test stream, save it, commit the point's row. {@link
 * PointPipeline} runs them in that order; {@link #standard} are the job's own.
 */
record PointStages(
    Prepare prepare, PointTrainer train, Evaluate evaluate, Save save, Commit commit) {

  /** Frames, batches and caches a point's data. */
  @FunctionalInterface
  interface Prepare {
    PointData prepare(PlannedPoint point);
  }

  /** Measures a trained network on the point's test stream. */
  @FunctionalInterface
  interface Evaluate {
    Tested evaluate(PlannedPoint point, PointData data, MultiLayerNetwork network);
  }

  /**
   * What the test stream measured, and test sequence 0 echoed (as {@code [a, b, ...]}).
   *
   * @param sampleExpected test sequence 0's expected echo
   * @param samplePredicted the network's echo of it
   */
  record Tested(Metrics metrics, String sampleExpected, String samplePredicted) {}

  /** Saves a point's network; returns where, relative to the results directory. */
  @FunctionalInterface
  interface Save {
    String save(PlannedPoint point, MultiLayerNetwork network);
  }

  /** Writes a point's row to the results table, as the holder of the run's lease. */
  @FunctionalInterface
  interface Commit {
    void commit(PlannedPoint point, ResultRow row);
  }

  /** The job's stages for {@code run}: parameter-averaging training on Spark, Parquet rows. */
  static PointStages standard(RunContext run) {
    return new PointStages(
        new DataPreparation(run),
        new AveragingPointTrainer(run),
        new TestEvaluation(run),
        new ModelSaving(run),
        (point, row) -> {
          run.guard().ensureHeld();
          run.results().write(row);
        });
  }
}
