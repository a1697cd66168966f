package io.echolstm.results;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One evaluation during training: the learning curve of a point, stored in its row's {@code
 * history} column.
 *
 * @param epoch epochs trained when evaluated
 * @param trainWindows windows processed so far (training windows x epochs)
 * @param trainSeconds training wall time so far
 * @param accuracy held-out accuracy over all labels
 * @param reachableAccuracy held-out accuracy over reachable labels, null when there are none
 * @param loss mean held-out cross-entropy
 */
public record HistoryEntry(
    int epoch,
    long trainWindows,
    double trainSeconds,
    double accuracy,
    Double reachableAccuracy,
    double loss) {

  Row toRow() {
    return RowFactory.create(epoch, trainWindows, trainSeconds, accuracy, reachableAccuracy, loss);
  }
}
