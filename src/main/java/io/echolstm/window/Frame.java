package io.echolstm.window;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One framed sample of any variant: input values (oldest first, {@link #MISSING} where masked), and
 * one label per output step ({@link #MISSING} where the label is masked) with whether that label
 * lies within what the model is shown.
 *
 * @param seqId sequence id
 * @param pos position of the sample's last input value in its sequence
 * @param features input values, {@code -1} for masked steps
 * @param labels one label (last-step variants) or one per input step, {@code -1} where masked
 * @param reachable per label: the labelled value is part of the model's input
 */
public record Frame(long seqId, int pos, int[] features, int[] labels, boolean[] reachable)
    implements Serializable {
  /** Marks a masked input step or label. */
  public static final int MISSING = -1;

  public Frame {
    if (labels.length != reachable.length) {
      throw new IllegalArgumentException("labels and reachable differ in length");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f
        && f.seqId == seqId
        && f.pos == pos
        && Arrays.equals(f.features, features)
        && Arrays.equals(f.labels, labels)
        && Arrays.equals(f.reachable, reachable);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {seqId, pos}) * 31 + Arrays.hashCode(features);
  }

  @Override
  public String toString() {
    return "Frame[seq="
        + seqId
        + ", pos="
        + pos
        + ", features="
        + Arrays.toString(features)
        + ", labels="
        + Arrays.toString(labels)
        + ", reachable="
        + Arrays.toString(reachable)
        + "]";
  }
}
