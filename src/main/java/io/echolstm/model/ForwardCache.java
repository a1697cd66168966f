package io.echolstm.model;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward state of the last computed forward pass, kept with its key: DL4J's layer runs a
 * second forward pass before backprop, which is recognised here when its input, parameters, mask
 * and initial state are bit-for-bit the same, and reused. Not thread-safe (one per helper).
 *
 * <p>Per call: {@link #read} the call's key, then either use {@link #state()} when {@link #hit()},
 * or {@link #adoptKey()}, compute the pass into the state it returns and mark it {@link #computed}.
 */
final class ForwardCache {
  private final ForwardState state = new ForwardState();
  private long versions;

  // The key of the incoming call, swapped into the state on a miss.
  private int m;
  private int n;
  private int h;
  private int t;
  private boolean hasMask;
  private float[] inX;
  private float[] inW;
  private float[] inR;
  private float[] inB;
  private float[] inMask;
  private float[] inH0;
  private float[] inC0;

  /**
   * Reads the key of a call with input {@code [m, n, t]} and {@code h} units (shapes checked by the
   * caller). Returns false, before reading the initial state, when {@code mask} holds anything but
   * exact 0s and 1s: the fast math does not cover it.
   *
   * @throws IllegalArgumentException when an initial state is not {@code [m, h]}
   */
  boolean read(
      INDArray input,
      INDArray inputWeights,
      INDArray recurrentWeights,
      INDArray biases,
      INDArray mask,
      INDArray prevOutputActivations,
      INDArray prevMemCellState,
      int m,
      int n,
      int h,
      int t) {
    inX = Nd.readC(input, inX);
    inW = Nd.readF(inputWeights, inW);
    inR = Nd.readF(recurrentWeights, inR);
    inB = Nd.readF(biases, inB);
    if (mask != null) {
      inMask = Nd.readC(mask, inMask);
      if (!FastLstmHelper.binary(inMask, m * t)) {
        return false;
      }
    }
    inH0 = readState(prevOutputActivations, m, h, inH0);
    inC0 = readState(prevMemCellState, m, h, inC0);
    this.m = m;
    this.n = n;
    this.h = h;
    this.t = t;
    this.hasMask = mask != null;
    return true;
  }

  /** True when the state holds the forward pass of the key last read. */
  boolean hit() {
    ForwardState s = state;
    return s.valid
        && s.m == m
        && s.n == n
        && s.h == h
        && s.t == t
        && Arrays.equals(s.x, 0, m * n * t, inX, 0, m * n * t)
        && Arrays.equals(s.w, 0, n * 4 * h, inW, 0, n * 4 * h)
        && Arrays.equals(s.r, 0, h * 4 * h, inR, 0, h * 4 * h)
        && Arrays.equals(s.bias, 0, 4 * h, inB, 0, 4 * h)
        && (!hasMask
            ? s.mask == null
            : s.mask != null && Arrays.equals(s.mask, 0, m * t, inMask, 0, m * t))
        && Arrays.equals(s.h0, 0, m * h, inH0, 0, m * h)
        && Arrays.equals(s.c0, 0, m * h, inC0, 0, m * h);
  }

  /** The state (valid after a {@link #hit()} or once {@link #computed}). */
  ForwardState state() {
    return state;
  }

  /**
   * Makes the key last read the state's key, the state invalid until its pass is computed; the
   * previous key's arrays become the scratch of the next {@link #read}.
   */
  ForwardState adoptKey() {
    ForwardState s = state;
    s.valid = false;
    float[] tmp;
    tmp = s.x;
    s.x = inX;
    inX = tmp;
    tmp = s.w;
    s.w = inW;
    inW = tmp;
    tmp = s.r;
    s.r = inR;
    inR = tmp;
    tmp = s.bias;
    s.bias = inB;
    inB = tmp;
    if (!hasMask) {
      s.mask = null;
    } else {
      tmp = s.mask;
      s.mask = inMask;
      inMask = tmp;
    }
    tmp = s.h0;
    s.h0 = inH0;
    inH0 = tmp;
    tmp = s.c0;
    s.c0 = inC0;
    inC0 = tmp;
    s.m = m;
    s.n = n;
    s.h = h;
    s.t = t;
    return s;
  }

  /** Marks the state's pass computed, under a new version (a backprop call checks it). */
  void computed() {
    state.version = ++versions;
    state.valid = true;
  }

  private static float[] readState(INDArray a, int m, int h, float[] reuse) {
    if (a == null) {
      float[] out = Nd.ensure(reuse, m * h);
      Arrays.fill(out, 0, m * h, 0f);
      return out;
    }
    if (a.rank() != 2 || a.size(0) != m || a.size(1) != h) {
      throw new IllegalArgumentException(
          "previous LSTM state must be [" + m + ", " + h + "], found " + a.shapeInfoToString());
    }
    return Nd.readF(a, reuse);
  }
}
