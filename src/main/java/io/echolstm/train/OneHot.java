package io.echolstm.train;

import io.echolstm.window.Frame;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-hot encoding of framed samples into DL4J arrays (NCW: {@code [batch, values, steps]}) with
 * their masks, and decoding of network outputs. No Spark.
 */
public final class OneHot {
  private OneHot() {}

  /** Inputs as {@code [n, values, steps]}; masked steps ({@code -1}) are all-zero columns. */
  public static INDArray windows(int[][] windows, int values) {
    int steps = windows.length == 0 ? 0 : windows[0].length;
    INDArray out = Nd4j.zeros(DataType.FLOAT, windows.length, values, steps);
    for (int i = 0; i < windows.length; i++) {
      if (windows[i].length != steps) {
        throw new IllegalArgumentException("windows of different lengths in one batch");
      }
      for (int t = 0; t < steps; t++) {
        if (windows[i][t] != Frame.MISSING) {
          out.putScalar(new long[] {i, checked(windows[i][t], values), t}, 1.0);
        }
      }
    }
    return out;
  }

  /** {@code [n, steps]}: 1 where the value is present, 0 where it is {@code -1}. */
  public static INDArray mask(int[][] rows) {
    int steps = rows.length == 0 ? 0 : rows[0].length;
    INDArray out = Nd4j.zeros(DataType.FLOAT, rows.length, steps);
    for (int i = 0; i < rows.length; i++) {
      for (int t = 0; t < steps; t++) {
        if (rows[i][t] != Frame.MISSING) {
          out.putScalar(i, t, 1.0);
        }
      }
    }
    return out;
  }

  /** Labels as {@code [n, values]}. */
  public static INDArray labels(int[] labels, int values) {
    INDArray out = Nd4j.zeros(DataType.FLOAT, labels.length, values);
    for (int i = 0; i < labels.length; i++) {
      out.putScalar(i, checked(labels[i], values), 1.0);
    }
    return out;
  }

  /** A single-example stateless {@link DataSet}: one window and its label, no masks. */
  public static DataSet example(int[] window, int label, int values) {
    return new DataSet(windows(new int[][] {window}, values), labels(new int[] {label}, values));
  }

  /** The arrays a network needs for a batch of frames of one variant. */
  public record Batch(
      INDArray features, INDArray labels, INDArray featureMask, INDArray labelMask) {
    public DataSet toDataSet() {
      return new DataSet(features, labels, featureMask, labelMask);
    }
  }

  /**
   * Encodes frames of equal shape.
   *
   * @param perStep labels are per input step ({@code [n, values, steps]} plus a label mask) rather
   *     than one per frame ({@code [n, values]})
   * @param featureMask attach a feature mask (variants whose inputs have masked steps)
   */
  public static Batch batch(List<Frame> frames, int values, boolean perStep, boolean featureMask) {
    int n = frames.size();
    int[][] x = new int[n][];
    int[][] y = new int[n][];
    for (int i = 0; i < n; i++) {
      x[i] = frames.get(i).features();
      y[i] = frames.get(i).labels();
    }
    INDArray features = windows(x, values);
    INDArray fMask = featureMask ? mask(x) : null;
    if (perStep) {
      return new Batch(features, windows(y, values), fMask, mask(y));
    }
    int[] last = new int[n];
    for (int i = 0; i < n; i++) {
      if (y[i].length != 1) {
        throw new IllegalArgumentException("expected one label per frame, found " + y[i].length);
      }
      last[i] = y[i][0];
    }
    return new Batch(features, labels(last, values), fMask, null);
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
