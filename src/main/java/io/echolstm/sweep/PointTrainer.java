package io.echolstm.sweep;

import io.echolstm.eval.Metrics;
import io.echolstm.results.HistoryEntry;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains one point's network on its prepared data, validating as it goes, until a stop rule fires:
 * the target accuracy ({@code train.target-accuracy}), a plateau of the validation loss ({@link
 * StopRule}) or the budget (epochs, seconds). Another training method is another implementation;
 * {@link AveragingPointTrainer} is the job's.
 */
@FunctionalInterface
interface PointTrainer {

  /**
   * Trains {@code point} on {@code data}, entering the stage it is in ({@code training}, {@code
   * validating}) into {@code stage} as it goes.
   */
  Trained train(PlannedPoint point, PointData data, PointStage stage);

  /**
   * What training did.
   *
   * @param network the trained network
   * @param workers the workers it trained on
   * @param epochs epochs started
   * @param reason why training stopped
   * @param windowsToTarget training windows when the target was reached, else null
   * @param secondsToTarget training seconds when the target was reached, else null
   * @param history every validation evaluation, in order
   * @param validation the last validation evaluation, null if there was none
   * @param windows training windows fitted
   * @param seconds fit wall time, validation excluded
   * @param score the last minibatch score
   */
  record Trained(
      MultiLayerNetwork network,
      int workers,
      int epochs,
      StopRule.Reason reason,
      Long windowsToTarget,
      Double secondsToTarget,
      List<HistoryEntry> history,
      Metrics validation,
      long windows,
      double seconds,
      double score,
      double validationSeconds) {
    public Trained {
      history = List.copyOf(history);
    }
  }
}
