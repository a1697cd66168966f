package io.echolstm.train;

import io.echolstm.config.Variant;
import io.echolstm.window.Frame;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Turns a framed row into a single-example {@link DataSet} on the executor, so only integers travel
 * through the shuffle and one-hot arrays are built where they are used.
 */
public final class RowToDataSet implements Function<Row, DataSet> {
  private final int values;
  private final Variant variant;

  public RowToDataSet(int values, Variant variant) {
    this.values = values;
    this.variant = variant;
  }

  @Override
  public DataSet call(Row row) {
    return OneHot.batch(
            List.of(frame(row)), values, variant.perStepOutput(), hasFeatureMask(variant))
        .toDataSet();
  }

  /** Whether the variant's inputs can hold masked steps. */
  public static boolean hasFeatureMask(Variant variant) {
    return variant == Variant.MASKED || variant == Variant.WHOLE_SEQUENCE;
  }

  /** A row of {@link io.echolstm.window.WindowFrames#SCHEMA} as a {@link Frame}. */
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
