package io.echolstm.codec;

import io.echolstm.window.Frame;
import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A minibatch of frames as two flat integer arrays: a few bytes per window, and cheap for Spark to
 * cache and size (three objects, whatever the batch size). One-hot encoded where it is used.
 *
 * @param size frames in the batch
 * @param steps input steps per frame
 * @param labelSteps labels per frame (1, or one per step for per-step variants)
 * @param features {@code size x steps} input values, frame after frame ({@code -1} masked)
 * @param labels {@code size x labelSteps} labels, frame after frame ({@code -1} masked)
 */
public record PackedBatch(int size, int steps, int labelSteps, int[] features, int[] labels)
    implements Serializable {

  public PackedBatch {
    if (features.length != size * steps || labels.length != size * labelSteps) {
      throw new IllegalArgumentException("arrays do not match " + size + " frames");
    }
  }

  /** Packs frames of equal shape. */
  public static PackedBatch of(List<Frame> frames) {
    int n = frames.size();
    int steps = n == 0 ? 0 : frames.get(0).features().length;
    int labelSteps = n == 0 ? 0 : frames.get(0).labels().length;
    int[] x = new int[n * steps];
    int[] y = new int[n * labelSteps];
    for (int i = 0; i < n; i++) {
      Frame f = frames.get(i);
      if (f.features().length != steps || f.labels().length != labelSteps) {
        throw new IllegalArgumentException("frames of different shapes in one batch");
      }
      System.arraycopy(f.features(), 0, x, i * steps, steps);
      System.arraycopy(f.labels(), 0, y, i * labelSteps, labelSteps);
    }
    return new PackedBatch(n, steps, labelSteps, x, y);
  }

  /**
   * The arrays a network needs ({@link Inputs} decides the flags for a variant).
   *
   * @param perStep labels are per input step ({@code [n, values, steps]} plus a label mask) rather
   *     than one per frame ({@code [n, values]})
   * @param featureMask attach a feature mask (variants whose inputs have masked steps)
   * @param markEvery when positive, a window-start marker every {@code markEvery} steps (see {@link
   *     OneHot#windows(int[], int, int, int, int)})
   */
  public OneHot.Batch encode(int values, boolean perStep, boolean featureMask, int markEvery) {
    INDArray in = OneHot.windows(features, size, steps, values, markEvery);
    INDArray fMask = featureMask ? OneHot.mask(features, size, steps) : null;
    if (perStep) {
      return new OneHot.Batch(
          in,
          OneHot.windows(labels, size, labelSteps, values),
          fMask,
          OneHot.mask(labels, size, labelSteps));
    }
    if (labelSteps != 1) {
      throw new IllegalArgumentException("expected one label per frame, found " + labelSteps);
    }
    return new OneHot.Batch(in, OneHot.labels(labels, values), fMask, null);
  }
}
