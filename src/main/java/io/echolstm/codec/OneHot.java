package io.echolstm.codec;

import io.echolstm.window.Frame;
import org.nd4j.linalg.api.buffer.DataBuffer;
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
    int[] flat = new int[windows.length * steps];
    for (int i = 0; i < windows.length; i++) {
      if (windows[i].length != steps) {
        throw new IllegalArgumentException("windows of different lengths in one batch");
      }
      System.arraycopy(windows[i], 0, flat, i * steps, steps);
    }
    return windows(flat, windows.length, steps, values);
  }

  /**
   * As {@link #windows(int[][], int)}, from {@code n} windows of {@code steps} values laid end to
   * end in {@code flat}.
   */
  public static INDArray windows(int[] flat, int n, int steps, int values) {
    return windows(flat, n, steps, values, 0);
  }

  /**
   * As {@link #windows(int[], int, int, int)}; when {@code markEvery > 0} each row also gets a
   * window-start marker: a feature at index {@code values} (so {@code values + 1} features) set to
   * 1 at steps {@code 0, markEvery, 2 markEvery, ...} (see {@link
   * io.echolstm.config.Variant#marksWindowStarts(int)}).
   */
  public static INDArray windows(int[] flat, int n, int steps, int values, int markEvery) {
    int features = markEvery > 0 ? values + 1 : values;
    INDArray out = Nd4j.zeros(DataType.FLOAT, n, features, steps);
    DataBuffer data = out.data();
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < steps; t++) {
        int v = flat[i * steps + t];
        if (v != Frame.MISSING) {
          // c order: [i][v][t]
          data.put(((long) i * features + checked(v, values)) * steps + t, 1f);
        }
      }
      for (int t = 0; markEvery > 0 && t < steps; t += markEvery) {
        data.put(((long) i * features + values) * steps + t, 1f);
      }
    }
    return out;
  }

  /**
   * {@code [n, steps]} from {@code n} rows of {@code steps} values laid end to end: 1 where the
   * value is present, 0 where it is {@code -1}.
   */
  public static INDArray mask(int[] flat, int n, int steps) {
    INDArray out = Nd4j.zeros(DataType.FLOAT, n, steps);
    DataBuffer data = out.data();
    for (int k = 0; k < n * steps; k++) {
      if (flat[k] != Frame.MISSING) {
        data.put(k, 1f);
      }
    }
    return out;
  }

  /** Labels as {@code [n, values]}. */
  public static INDArray labels(int[] labels, int values) {
    INDArray out = Nd4j.zeros(DataType.FLOAT, labels.length, values);
    DataBuffer data = out.data();
    for (int i = 0; i < labels.length; i++) {
      data.put((long) i * values + checked(labels[i], values), 1f);
    }
    return out;
  }

  /** The arrays a network needs for a batch of frames of one variant. */
  public record Batch(INDArray features, INDArray labels, INDArray featureMask, INDArray labelMask)
      implements AutoCloseable {
    public DataSet toDataSet() {
      return new DataSet(features, labels, featureMask, labelMask);
    }

    /**
     * Frees the arrays' native memory now rather than when the collector finds them (which a large,
     * quiet heap can postpone for gigabytes): call it once nothing reads them any more.
     */
    @Override
    public void close() {
      release(features);
      release(labels);
      release(featureMask);
      release(labelMask);
    }

    private static void release(INDArray a) {
      if (a != null && a.closeable()) {
        a.close();
      }
    }
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
