package io.echolstm.results;

/**
 * One evaluation on the validation set during training: the learning curve of a point, stored in
 * its row's {@code history} column. Each component's {@link ColumnDoc} is its field's meaning.
 */
public record HistoryEntry(
    @ColumnDoc("the epoch in progress, 1-based") int epoch,
    @ColumnDoc("training windows fitted so far") long trainWindows,
    @ColumnDoc("fit time so far, evaluation excluded") double trainSeconds,
    @ColumnDoc("validation accuracy over all labels") double accuracy,
    @ColumnDoc("the same over reachable labels, null when there are none") Double reachableAccuracy,
    @ColumnDoc("mean validation cross-entropy") double loss) {}
