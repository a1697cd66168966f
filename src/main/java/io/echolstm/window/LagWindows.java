package io.echolstm.window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tutorial's pandas {@code shift}/{@code concat} framing, in plain Java: the reference the
 * Spark SQL version is tested against.
 *
 * <p>For window {@code W} and lag {@code L}, the sample at position {@code t} is the {@code W}
 * values ending at {@code t} (oldest first) and its label is the value at {@code t - L}. Positions
 * without enough history ({@code t < max(W - 1, L)}) are dropped, as the tutorial drops NaN rows.
 */
public final class LagWindows {
  private LagWindows() {}

  /** One framed sample. */
  public record Sample(int pos, int[] features, int label) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sample s
          && s.pos == pos
          && s.label == label
          && Arrays.equals(s.features, features);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * pos + label) + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
      return "Sample[pos="
          + pos
          + ", features="
          + Arrays.toString(features)
          + ", label="
          + label
          + "]";
    }
  }

  /** First position that has a full window and a label. */
  public static int firstViablePosition(int window, int lag) {
    return Math.max(window - 1, lag);
  }

  /** Samples per sequence of {@code length} values. */
  public static int samplesPerSequence(int length, int window, int lag) {
    return Math.max(0, length - firstViablePosition(window, lag));
  }

  /** Frames one sequence. */
  public static List<Sample> frame(int[] sequence, int window, int lag) {
    List<Sample> out = new ArrayList<>();
    for (int t = firstViablePosition(window, lag); t < sequence.length; t++) {
      out.add(
          new Sample(t, Arrays.copyOfRange(sequence, t - window + 1, t + 1), sequence[t - lag]));
    }
    return out;
  }
}
