package io.echolstm.train;

import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Turns a framed window row into a single-example {@link DataSet} on the executor, so only integers
 * travel through the shuffle and one-hot arrays are built where they are used.
 */
public final class RowToDataSet implements Function<Row, DataSet> {
  private final int values;

  public RowToDataSet(int values) {
    this.values = values;
  }

  @Override
  public DataSet call(Row row) {
    return OneHot.example(features(row), row.getInt(row.fieldIndex("label")), values);
  }

  /** The {@code features} array column of a framed row. */
  public static int[] features(Row row) {
    List<Integer> list = row.getList(row.fieldIndex("features"));
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
