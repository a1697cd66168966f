package io.echolstm.sweep;

import io.echolstm.eval.DistributedEvaluator;
import io.echolstm.eval.Metrics;
import io.echolstm.eval.Scorer;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a trained network on the point's test stream on the executors, and echoes test sequence 0
 * on the driver for the row and the log.
 */
final class TestEvaluation implements PointStages.Evaluate {
  private static final Logger LOG = LoggerFactory.getLogger(TestEvaluation.class);

  private final RunContext run;

  TestEvaluation(RunContext run) {
    this.run = run;
  }

  @Override
  public PointStages.Tested evaluate(
      PlannedPoint planned, PointData data, MultiLayerNetwork network) {
    SweepPoint point = planned.point();
    String tag = planned.progress();
    Metrics metrics =
        DistributedEvaluator.evaluate(
            run.jsc(), network, data.inputs(), data.test(), point.eval().batchSize());
    int[][] sample =
        new Scorer(network, data.inputs(), point.eval().batchSize())
            .expectedAndPredicted(DistributedEvaluator.sample(data.test(), 0));
    LOG.info("{}: test sequence 0, expected:  {}", tag, Arrays.toString(sample[0]));
    LOG.info("{}: test sequence 0, predicted: {}", tag, Arrays.toString(sample[1]));
    return new PointStages.Tested(metrics, Arrays.toString(sample[0]), Arrays.toString(sample[1]));
  }
}
