package io.echolstm.results;

/**
 * One evaluation on the validation set during training: the learning curve of a point, stored in
 * its row's {@code history} column.
 *
 * @param epoch the epoch in progress (1-based) when evaluated
 * @param trainWindows training windows fitted so far
 * @param trainSeconds training (fit) wall time so far, evaluation excluded
 * @param accuracy validation accuracy over all labels
 * @param reachableAccuracy validation accuracy over reachable labels, null when there are none
 * @param loss mean validation cross-entropy
 */
public record HistoryEntry(
    int epoch,
    long trainWindows,
    double trainSeconds,
    double accuracy,
    Double reachableAccuracy,
    double loss) {}
