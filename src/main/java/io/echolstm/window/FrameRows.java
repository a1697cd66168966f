package io.echolstm.window;

import java.util.List;
import org.apache.spark.sql.Row;

/** Rows of {@link WindowFrames#SCHEMA} back to {@link Frame}s, on the executors. */
public final class FrameRows {
  private FrameRows() {}

  /** A row of {@link WindowFrames#SCHEMA} as a {@link Frame}. */
  public static Frame frame(Row row) {
    List<Integer> f = row.getList(row.fieldIndex("features"));
    List<Integer> l = row.getList(row.fieldIndex("labels"));
    List<Boolean> r = row.getList(row.fieldIndex("reachable"));
    int[] features = new int[f.size()];
    for (int i = 0; i < features.length; i++) {
      features[i] = f.get(i);
    }
    int[] labels = new int[l.size()];
    boolean[] reachable = new boolean[r.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = l.get(i);
      reachable[i] = r.get(i);
    }
    return new Frame(
        row.getLong(row.fieldIndex("seq_id")),
        row.getInt(row.fieldIndex("pos")),
        features,
        labels,
        reachable);
  }
}
