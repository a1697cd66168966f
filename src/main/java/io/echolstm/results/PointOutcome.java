package io.echolstm.results;

import java.time.Instant;
import java.util.List;

/**
 * What training and evaluating one point measured. Metrics come from the test stream; {@code
 * validation*}, the stop reason and the history from the validation stream that decided when to
 * stop. Nullable (boxed) fields are SQL NULL when they do not apply.
 *
 * @param accuracy test accuracy over all labels
 * @param reachableAccuracy test accuracy over labels inside the model's sight, null if none
 * @param exactMatchAccuracy per-step variants: share of sequences with every step right
 * @param loss mean test cross-entropy
 * @param chanceAccuracy 1 / values
 * @param validationAccuracy the last validation evaluation's headline accuracy
 * @param validationLoss the last validation evaluation's loss
 * @param evalWindows test windows evaluated
 * @param evalLabels test labels evaluated
 * @param trainWindows labelled training windows per epoch
 * @param epochs epochs started
 * @param stopReason {@code target}, {@code plateau} or {@code budget}
 * @param windowsToTarget training windows when the target was reached, else null
 * @param secondsToTarget training seconds when the target was reached, else null
 * @param history every validation evaluation, in order
 * @param trainSeconds fit wall time, evaluation excluded
 * @param prepareSeconds time to frame, batch and cache the point's data
 * @param windowsPerSecond training windows / train seconds
 * @param finalTrainScore the network's last training score
 * @param sampleExpected test sequence 0's expected echo
 * @param samplePredicted test sequence 0's predicted echo
 * @param modelPath the saved network, relative to the results directory ({@link
 *     ModelStore#relativePath}); null when the point's model was not saved ({@code model.save})
 * @param startedAt when the point started
 * @param endedAt when its row was built
 */
public record PointOutcome(
    double accuracy,
    Double reachableAccuracy,
    Double exactMatchAccuracy,
    double loss,
    double chanceAccuracy,
    Double validationAccuracy,
    Double validationLoss,
    long evalWindows,
    long evalLabels,
    long trainWindows,
    int epochs,
    String stopReason,
    Long windowsToTarget,
    Double secondsToTarget,
    List<HistoryEntry> history,
    double trainSeconds,
    double prepareSeconds,
    double windowsPerSecond,
    double finalTrainScore,
    String sampleExpected,
    String samplePredicted,
    String modelPath,
    Instant startedAt,
    Instant endedAt) {
  public PointOutcome {
    history = List.copyOf(history);
  }
}
