package io.echolstm.codec;

import io.echolstm.config.Variant;
import io.echolstm.window.Frame;
import java.io.Serializable;
import java.util.List;

/**
 * How a point's frames become its network's arrays: the variant (per-step labels, masked steps,
 * window-start markers), the integers {@code 0..values-1} one-hot encoded, and the window (where a
 * stateful frame's windows start). Training, evaluation and prediction encode through it, so they
 * cannot disagree.
 */
public record Inputs(Variant variant, int values, int window) implements Serializable {

  public Inputs {
    if (variant == null || values < 2 || window < 1) {
      throw new IllegalArgumentException(
          "a variant, values >= 2 and window >= 1 required, found "
              + variant
              + ", "
              + values
              + ", "
              + window);
    }
  }

  /** Input features per step: the network's {@code nIn}. */
  public int features() {
    return variant.inputs(values, window);
  }

  /** The arrays for a minibatch. */
  public OneHot.Batch encode(PackedBatch batch) {
    return batch.encode(
        values,
        variant.perStepOutput(),
        variant.maskedInputs(),
        variant.marksWindowStarts(window) ? window : 0);
  }

  /** The arrays for frames of equal shape. */
  public OneHot.Batch encode(List<Frame> frames) {
    return encode(PackedBatch.of(frames));
  }
}
