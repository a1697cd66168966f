package io.echolstm.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** One-hot encoding of windows and labels, and decoding of network outputs. No Spark. */
public final class OneHot {
  private OneHot() {}

  /** Features of one or more windows as {@code [windows.length, values, window]}, DL4J's NCW. */
  public static INDArray windows(int[][] windows, int values) {
    int steps = windows.length == 0 ? 0 : windows[0].length;
    INDArray out = Nd4j.zeros(DataType.FLOAT, windows.length, values, steps);
    for (int i = 0; i < windows.length; i++) {
      if (windows[i].length != steps) {
        throw new IllegalArgumentException("windows of different lengths in one batch");
      }
      for (int t = 0; t < steps; t++) {
        out.putScalar(new long[] {i, checked(windows[i][t], values), t}, 1.0);
      }
    }
    return out;
  }

  /** Labels as {@code [labels.length, values]}. */
  public static INDArray labels(int[] labels, int values) {
    INDArray out = Nd4j.zeros(DataType.FLOAT, labels.length, values);
    for (int i = 0; i < labels.length; i++) {
      out.putScalar(i, checked(labels[i], values), 1.0);
    }
    return out;
  }

  /** A single-example {@link DataSet} for one window and its label. */
  public static DataSet example(int[] window, int label, int values) {
    return new DataSet(windows(new int[][] {window}, values), labels(new int[] {label}, values));
  }

  /** The most probable value of each row of {@code [n, values]} scores. */
  public static int[] decode(INDArray scores) {
    long rows = scores.size(0);
    int[] out = new int[(int) rows];
    INDArray argmax = scores.argMax(1);
    for (int i = 0; i < rows; i++) {
      out[i] = argmax.getInt(i);
    }
    return out;
  }

  private static int checked(int value, int values) {
    if (value < 0 || value >= values) {
      throw new IllegalArgumentException("value " + value + " outside 0.." + (values - 1));
    }
    return value;
  }
}
