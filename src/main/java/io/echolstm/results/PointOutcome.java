package io.echolstm.results;

import java.time.Instant;
import java.util.List;

/**
 * What training and evaluating one point measured. Metrics come from the test stream; {@code
 * validation*}, the stop reason and the history from the validation stream that decided when to
 * stop. Nullable (boxed) fields are SQL NULL when they do not apply. Each component's {@link
 * ColumnDoc} is its meaning.
 */
public record PointOutcome(
    @ColumnDoc("test labels whose most probable value is the label") double accuracy,
    @ColumnDoc("the same over labels whose value is in the model's input (null: none are)")
        Double reachableAccuracy,
    @ColumnDoc("`seq2seq`: windows whose reachable steps are all right (null otherwise)")
        Double exactMatchAccuracy,
    @ColumnDoc("mean test cross-entropy per label, nats (chance level: ln `values`)") double loss,
    @ColumnDoc("1 / `values`") double chanceAccuracy,
    @ColumnDoc(
            "the last validation evaluation's accuracy (reachable accuracy where there are"
                + " reachable labels), on which the point stopped")
        Double validationAccuracy,
    @ColumnDoc("the last validation evaluation's loss") Double validationLoss,
    @ColumnDoc("test windows scored, each with at least one label (see \"Which windows count\")")
        long evalWindows,
    @ColumnDoc("test labels scored (`seq2seq`: several per window)") long evalLabels,
    @ColumnDoc(
            "distinct training windows with at least one label, per epoch: `n − max(W − 1, L)` per"
                + " sequence of length `n` for `stateless`, `seq2seq` and `stateful` (whose earlier"
                + " windows are fed for their state, not counted), `n − L` for `masked` and"
                + " `whole-sequence` (see \"Which windows count\")")
        long trainWindows,
    @ColumnDoc("the epoch in progress when the point stopped (1-based)") int epochs,
    @ColumnDoc("`target`, `plateau` or `budget` (see \"When a point stops\")") String stopReason,
    @ColumnDoc("training windows fitted when the validation target was reached (null: not reached)")
        Long windowsToTarget,
    @ColumnDoc("training time when the validation target was reached (null: not reached)")
        Double secondsToTarget,
    @ColumnDoc("one entry per validation evaluation") List<HistoryEntry> history,
    @ColumnDoc(
            "fit time of distributed training (evaluation and data preparation excluded; with"
                + " `export`, export included)")
        double trainSeconds,
    @ColumnDoc(
            "generating, framing, batching and caching the point's training, validation and test"
                + " data")
        double prepareSeconds,
    @ColumnDoc("scoring the validation stream, every evaluation of the point together")
        double validationSeconds,
    @ColumnDoc("scoring the test stream and echoing test sequence 0") double testSeconds,
    @ColumnDoc("training windows fitted / `train_seconds`") double windowsPerSecond,
    @ColumnDoc("last minibatch loss reported by the training master") double finalTrainScore,
    @ColumnDoc("labels of held-out test sequence 0") String sampleExpected,
    @ColumnDoc("predictions for held-out test sequence 0") String samplePredicted,
    @ColumnDoc(
            "the point's saved network, relative to the results directory:"
                + " `_models/run_id=R/point_id=P.zip` (null: not saved, see `model.save` and"
                + " \"Models you can use\")")
        String modelPath,
    @ColumnDoc("when the point started (UTC)") Instant startedAt,
    @ColumnDoc("when its row was built, just before it was committed (UTC)") Instant endedAt) {
  public PointOutcome {
    history = List.copyOf(history);
  }
}
