package io.echolstm.sweep;

import io.echolstm.codec.Inputs;
import io.echolstm.data.Seeds;
import io.echolstm.eval.HeldOut;
import io.echolstm.train.Minibatches;
import io.echolstm.window.WindowFrames;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Prepares a point's data on Spark: the sequences of its three seed streams, windowed; the training
 * frames as cached minibatches (one partition per worker), the validation and test frames cached.
 */
final class DataPreparation implements PointStages.Prepare {
  private final RunContext run;

  DataPreparation(RunContext run) {
    this.run = run;
  }

  @Override
  public PointData prepare(PlannedPoint planned) {
    SweepPoint point = planned.point();
    var data = point.data();
    var train = point.train();
    Inputs inputs = new Inputs(point.variant(), data.values(), point.window());
    long trainWindows = (long) data.trainSequences() * point.windowsPerSequence();
    long start = System.nanoTime();
    // One partition of frames per worker: each becomes one worker's minibatches.
    int workers = point.workers(run.defaultParallelism());
    Minibatches batches =
        Minibatches.build(
            frames(point, Seeds.TRAIN_STREAM, data.trainSequences(), workers),
            train.batchSize(),
            point.seed(),
            inputs);
    HeldOut validation = null;
    HeldOut test = null;
    try {
      validation =
          HeldOut.cache(
              frames(
                  point, Seeds.VALIDATION_STREAM, data.validationSequences(), data.partitions()));
      test =
          HeldOut.cache(frames(point, Seeds.EVAL_STREAM, data.evalSequences(), data.partitions()));
    } catch (RuntimeException | Error e) {
      PointData.release(batches, validation, test);
      throw e;
    }
    return new PointData(
        inputs, batches, validation, test, trainWindows, (System.nanoTime() - start) / 1e9);
  }

  /**
   * The frames of one seed stream, co-located by sequence in {@code partitions} partitions, from
   * the run's shared sequences (no shuffle once they are cached).
   */
  private Dataset<Row> frames(SweepPoint point, long stream, int sequences, int partitions) {
    var data = point.data();
    return WindowFrames.frame(
        run.sequences().colocated(point.seed(), stream, sequences, data, partitions),
        point.variant(),
        point.window(),
        point.lag(),
        data.sequenceLength());
  }
}
