package io.echolstm.sweep;

import io.echolstm.eval.DistributedEvaluator;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a trained network on the point's test stream on the executors and, in the same job, echoes
 * test sequence 0 for the row and the log.
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
    DistributedEvaluator.Scored scored =
        DistributedEvaluator.evaluateWithSample(
            run.jsc(), network, data.inputs(), data.test(), point.eval().batchSize(), 0);
    String expected = Arrays.toString(scored.expected());
    String predicted = Arrays.toString(scored.predicted());
    LOG.info("{}: test sequence 0, expected:  {}", tag, expected);
    LOG.info("{}: test sequence 0, predicted: {}", tag, predicted);
    return new PointStages.Tested(scored.metrics(), expected, predicted);
  }
}
