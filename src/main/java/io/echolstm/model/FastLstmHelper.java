package io.echolstm.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.layers.recurrent.LSTMHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The math of DL4J's {@code LSTMHelpers} (forward direction, no peepholes, tanh cell activation,
 * sigmoid gates, gate order i/f/o/g of the parameter views, feature mask applied to activations and
 * memory cell in the forward pass only, exactly as DL4J's {@code LSTM} layer does) with far fewer
 * ND4J calls: the input projection of all steps at once (a lookup of one or two rows when the input
 * is one-hot, or one-hot plus the stateful variant's window-start marker, detected exactly; else
 * one gemm), per step one gemm for the recurrence and three native activation ops on reused
 * buffers, element-wise products in Java, and the weight gradients and the epsilon of all steps as
 * one gemm each. The forward state of the last call is kept, so the backprop call (which DL4J's
 * layer makes after a second forward pass) reuses it when its input, parameters, mask and initial
 * state are bit-for-bit the same; otherwise it is recomputed.
 *
 * <p>Declines (returns {@code null}, so DL4J's built-in code runs) for anything else: other
 * activations, peepholes, backwards direction, non-float data, rank-2 input, non-binary masks. One
 * instance per layer; not thread-safe, as DL4J layers are not.
 */
public final class FastLstmHelper implements LSTMHelper {

  /** Counters for tests: what the helper did (not thread-safe, read after the calls). */
  public record Stats(
      long forwardsComputed,
      long forwardsReused,
      long oneHotForwards,
      long denseForwards,
      long backwards,
      long epsilonsSkipped,
      long declined) {}

  private long forwardsComputed;
  private long forwardsReused;
  private long oneHotForwards;
  private long denseForwards;
  private long backwards;
  private long epsilonsSkipped;
  private long declined;

  /** Set by {@link FastLstmLayer} around one backprop call whose input epsilon is discarded. */
  private boolean skipInputEpsilon;

  /** The forward state of the last computed forward pass. */
  private static final class State {
    int m;
    int n;
    int h;
    int t;
    // Key: everything the forward pass depends on.
    float[] x; // input, c order [m, n, t]
    float[] w; // input weights, f order [n, 4h]
    float[] r; // recurrent weights, f order [h, 4h]
    float[] bias; // [4h]
    float[] mask; // [m, t] c order, or null
    float[] h0; // [m, h] f order
    float[] c0;
    // Value.
    int[] hot; // per row t*m+b: the indices of its 1s (at r and t*m+r), -1 for none; null if dense
    boolean zeroInit;
    float[] acts; // per step f order [m, 4h]: tanh(zi), sigmoid(zf), sigmoid(zo), sigmoid(zg)
    float[] tc; // per step f order [m, h]: tanh(c) before masking
    float[] c; // per step f order [m, h]: c after masking
    float[] out; // per step f order [m, h]: h after masking (= output, f order [m, h, t])
    boolean valid;
    long version;
  }

  /** What the helper returns from a forward pass for backprop. */
  static final class FastFwdPass extends FwdPassReturn {
    final State state;
    final long version;

    FastFwdPass(State state) {
      this.state = state;
      this.version = state.version;
    }
  }

  private final State state = new State();
  private long versions;

  // Scratch key arrays of the incoming call, swapped into the state on a miss.
  private float[] inX;
  private float[] inW;
  private float[] inR;
  private float[] inB;
  private float[] inMask;
  private float[] inH0;
  private float[] inC0;

  // Java scratch.
  private float[] xRows;
  private float[] zx;
  private float[] z;
  private float[] craw;
  private float[] dAll;
  private float[] dStep;
  private float[] maskRow;
  private float[] eps;
  private float[] nablaOut;
  private float[] nablaC;
  private float[] hp;
  private float[] gw;
  private float[] gb;

  // Native buffers (detached), sized for (m, n, h, t).
  private int bm = -1;
  private int bn = -1;
  private int bh = -1;
  private int bt = -1;
  private INDArray zFlat;
  private INDArray z2d;
  private INDArray zI;
  private INDArray zFog;
  private INDArray cN;
  private INDArray hN;
  private INDArray xN;
  private INDArray zxN;
  private INDArray dAllN;
  private INDArray dStepN;
  private INDArray noN;
  private INDArray hpN;
  private FloatPointer zP;
  private FloatPointer cP;
  private FloatPointer hP;
  private FloatPointer xP;
  private FloatPointer zxP;
  private FloatPointer dAllP;
  private FloatPointer dStepP;
  private FloatPointer noP;
  private FloatPointer hpP;

  public Stats stats() {
    return new Stats(
        forwardsComputed,
        forwardsReused,
        oneHotForwards,
        denseForwards,
        backwards,
        epsilonsSkipped,
        declined);
  }

  /**
   * For the next backprop calls (until reset): return no epsilon for the layer below, because the
   * caller discards it. Only {@link FastLstmLayer} sets this, and only where DL4J's source shows
   * the epsilon is never read.
   */
  void skipInputEpsilon(boolean skip) {
    this.skipInputEpsilon = skip;
  }

  @Override
  public Map<String, Long> helperMemoryUse() {
    return Collections.emptyMap();
  }

  @Override
  public boolean checkSupported() {
    return true;
  }

  @Override
  public boolean checkSupported(
      IActivation gateActivationFn, IActivation activationFn, boolean hasPeepholeConnections) {
    return gateActivationFn instanceof ActivationSigmoid
        && activationFn instanceof ActivationTanH
        && !hasPeepholeConnections;
  }

  @Override
  public FwdPassReturn activate(
      Layer layer,
      NeuralNetConfiguration conf,
      IActivation gateActivationFn,
      INDArray input,
      INDArray recurrentWeights,
      INDArray inputWeights,
      INDArray biases,
      boolean training,
      INDArray prevOutputActivations,
      INDArray prevMemCellState,
      boolean forBackprop,
      boolean forwards,
      String inputWeightKey,
      INDArray maskArray,
      boolean hasPeepholeConnections,
      LayerWorkspaceMgr workspaceMgr) {
    IActivation afn = ((BaseLayer) conf.getLayer()).getActivationFn();
    if (!forwards
        || !checkSupported(gateActivationFn, afn, hasPeepholeConnections)
        || input.rank() != 3
        || !allFloat(input, recurrentWeights, inputWeights, biases)
        || (maskArray != null && maskArray.dataType() != DataType.FLOAT)
        || (prevOutputActivations != null && prevOutputActivations.dataType() != DataType.FLOAT)
        || (prevMemCellState != null && prevMemCellState.dataType() != DataType.FLOAT)) {
      declined++;
      return null;
    }
    int m = (int) input.size(0);
    int n = (int) input.size(1);
    int t = (int) input.size(2);
    int h = (int) recurrentWeights.size(0);
    if (inputWeights.size(0) != n
        || inputWeights.size(1) != 4L * h
        || recurrentWeights.size(1) != 4L * h
        || biases.length() != 4L * h
        || (maskArray != null
            && (maskArray.rank() != 2 || maskArray.size(0) != m || maskArray.size(1) != t))) {
      declined++;
      return null;
    }
    // Read the key of this call.
    inX = Nd.readC(input, inX);
    inW = Nd.readF(inputWeights, inW);
    inR = Nd.readF(recurrentWeights, inR);
    inB = Nd.readF(biases, inB);
    if (maskArray != null) {
      inMask = Nd.readC(maskArray, inMask);
      for (int i = 0; i < m * t; i++) {
        float v = inMask[i];
        if (v != 0f && v != 1f) {
          declined++;
          return null;
        }
      }
    }
    inH0 = readState(prevOutputActivations, m, h, inH0);
    inC0 = readState(prevMemCellState, m, h, inC0);

    State s = state;
    boolean hit =
        s.valid
            && s.m == m
            && s.n == n
            && s.h == h
            && s.t == t
            && Arrays.equals(s.x, 0, m * n * t, inX, 0, m * n * t)
            && Arrays.equals(s.w, 0, n * 4 * h, inW, 0, n * 4 * h)
            && Arrays.equals(s.r, 0, h * 4 * h, inR, 0, h * 4 * h)
            && Arrays.equals(s.bias, 0, 4 * h, inB, 0, 4 * h)
            && (maskArray == null
                ? s.mask == null
                : s.mask != null && Arrays.equals(s.mask, 0, m * t, inMask, 0, m * t))
            && Arrays.equals(s.h0, 0, m * h, inH0, 0, m * h)
            && Arrays.equals(s.c0, 0, m * h, inC0, 0, m * h);
    if (hit) {
      forwardsReused++;
    } else {
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
      if (maskArray == null) {
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
      forward(s, inputWeights, recurrentWeights);
      s.version = ++versions;
      s.valid = true;
      forwardsComputed++;
    }

    FwdPassReturn ret = forBackprop ? new FastFwdPass(s) : new FwdPassReturn();
    int mh = m * h;
    INDArray out =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {m, h, t}, 'f');
    Nd.write(out, s.out, 0, mh * t);
    ret.fwdPassOutput = out;
    INDArray lastAct = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, h}, 'f');
    Nd.write(lastAct, s.out, (t - 1) * mh, mh);
    INDArray lastMem = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, h}, 'f');
    Nd.write(lastMem, s.c, (t - 1) * mh, mh);
    ret.lastAct = lastAct;
    ret.lastMemCell = lastMem;
    ret.prevAct = prevOutputActivations;
    ret.prevMemCell = prevMemCellState;
    return ret;
  }

  private static boolean allFloat(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a.dataType() != DataType.FLOAT) {
        return false;
      }
    }
    return true;
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

  private void ensureBuffers(int m, int n, int h, int t) {
    if (m == bm && n == bn && h == bh && t == bt) {
      return;
    }
    int g = 4 * h;
    MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    try {
      zFlat = Nd4j.create(DataType.FLOAT, new long[] {(long) m * g}, 'f');
      z2d = zFlat.reshape('f', m, g);
      zI = zFlat.get(NDArrayIndex.interval(0, (long) m * h));
      zFog = zFlat.get(NDArrayIndex.interval((long) m * h, (long) m * g));
      cN = Nd4j.create(DataType.FLOAT, new long[] {(long) m * h}, 'f');
      hN = Nd4j.create(DataType.FLOAT, new long[] {m, h}, 'f');
      xN = Nd4j.create(DataType.FLOAT, new long[] {(long) t * m, n}, 'c');
      zxN = Nd4j.create(DataType.FLOAT, new long[] {(long) t * m, g}, 'f');
      dAllN = Nd4j.create(DataType.FLOAT, new long[] {(long) t * m, g}, 'f');
      dStepN = Nd4j.create(DataType.FLOAT, new long[] {m, g}, 'f');
      noN = Nd4j.create(DataType.FLOAT, new long[] {m, h}, 'f');
      hpN = Nd4j.create(DataType.FLOAT, new long[] {(long) t * m, h}, 'f');
    } finally {
      outside.close();
    }
    Nd.checkSharesBuffer(zFlat, z2d);
    Nd.checkSharesBuffer(zFlat, zI);
    Nd.checkSharesBuffer(zFlat, zFog);
    zP = Nd.pointer(zFlat);
    cP = Nd.pointer(cN);
    hP = Nd.pointer(hN);
    xP = Nd.pointer(xN);
    zxP = Nd.pointer(zxN);
    dAllP = Nd.pointer(dAllN);
    dStepP = Nd.pointer(dStepN);
    noP = Nd.pointer(noN);
    hpP = Nd.pointer(hpN);
    bm = m;
    bn = n;
    bh = h;
    bt = t;
  }

  private void forward(State s, INDArray inputWeights, INDArray recurrentWeights) {
    final int m = s.m;
    final int n = s.n;
    final int h = s.h;
    final int t = s.t;
    final int g = 4 * h;
    final int mh = m * h;
    final int mg = m * g;
    ensureBuffers(m, n, h, t);
    s.acts = Nd.ensure(s.acts, t * mg);
    s.tc = Nd.ensure(s.tc, t * mh);
    s.c = Nd.ensure(s.c, t * mh);
    s.out = Nd.ensure(s.out, t * mh);
    z = Nd.ensure(z, mg);
    craw = Nd.ensure(craw, mh);
    s.zeroInit = allZero(s.h0, mh) && allZero(s.c0, mh);
    s.hot = oneHot(s.x, m, n, t, s.hot);
    final float[] x = s.x;
    final float[] w = s.w;
    final float[] bias = s.bias;
    final int[] hot = s.hot;
    if (hot != null) {
      oneHotForwards++;
    } else {
      denseForwards++;
      zx = Nd.ensure(zx, t * mg);
      // rows (step*m + b)*n + k of a c order [t*m, n] matrix
      xRows = Nd.ensure(xRows, t * m * n);
      for (int b = 0; b < m; b++) {
        for (int k = 0; k < n; k++) {
          int src = (b * n + k) * t;
          for (int step = 0; step < t; step++) {
            xRows[(step * m + b) * n + k] = x[src + step];
          }
        }
      }
      xP.put(xRows, 0, t * m * n);
      Nd4j.gemm(xN, inputWeights, zxN, false, false, 1.0, 0.0);
      zxP.get(zx, 0, t * mg);
    }
    final float[] acts = s.acts;
    final float[] tc = s.tc;
    final float[] c = s.c;
    final float[] out = s.out;
    final float[] mask = s.mask;
    if (!s.zeroInit) {
      hP.put(s.h0, 0, mh);
    }
    for (int step = 0; step < t; step++) {
      // z = x W + b, f order [m, 4h]
      if (hot != null) {
        final int hs = step * m;
        final int hs2 = t * m + hs; // the second 1 of each row, if any
        for (int q = 0; q < g; q++) {
          final float bq = bias[q];
          final int wq = q * n;
          final int zq = q * m;
          for (int b = 0; b < m; b++) {
            int k = hot[hs + b];
            int k2 = hot[hs2 + b];
            float xw = k >= 0 ? w[wq + k] : 0f;
            if (k2 >= 0) {
              xw += w[wq + k2];
            }
            z[zq + b] = xw + bq;
          }
        }
      } else {
        // zx is f order [t*m, 4h]: (step*m + b) + q*t*m
        final int tm = t * m;
        for (int q = 0; q < g; q++) {
          final float bq = bias[q];
          final int src = step * m + q * tm;
          final int zq = q * m;
          for (int b = 0; b < m; b++) {
            z[zq + b] = zx[src + b] + bq;
          }
        }
      }
      zP.put(z, 0, mg);
      if (step > 0 || !s.zeroInit) {
        Nd4j.gemm(hN, recurrentWeights, z2d, false, false, 1.0, 1.0);
      }
      Nd4j.getExecutioner().exec(new Tanh(zI, zI));
      Nd4j.getExecutioner().exec(new Sigmoid(zFog, zFog));
      final int ao = step * mg;
      zP.get(acts, ao, mg);
      final int so = step * mh;
      final int po = (step - 1) * mh;
      final float[] cPrev = step == 0 ? s.c0 : c;
      final int cpo = step == 0 ? 0 : po;
      for (int j = 0; j < h; j++) {
        int ai = ao + j * m;
        int af = ai + mh;
        int ag = ai + 3 * mh;
        int cj = j * m;
        for (int b = 0; b < m; b++) {
          craw[cj + b] = cPrev[cpo + cj + b] * acts[af + b] + acts[ag + b] * acts[ai + b];
        }
      }
      cP.put(craw, 0, mh);
      Nd4j.getExecutioner().exec(new Tanh(cN, cN));
      cP.get(tc, so, mh);
      for (int j = 0; j < h; j++) {
        int aoo = ao + 2 * mh + j * m;
        int cj = j * m;
        for (int b = 0; b < m; b++) {
          float hv = tc[so + cj + b] * acts[aoo + b];
          float cv = craw[cj + b];
          if (mask != null) {
            float mk = mask[b * t + step];
            hv *= mk;
            cv *= mk;
          }
          out[so + cj + b] = hv;
          c[so + cj + b] = cv;
        }
      }
      if (step < t - 1) {
        hP.put(out, so, mh);
      }
    }
    if (hot == null) {
      // Keep x in the native buffer for the weight gradient (already there).
      return;
    }
  }

  private static boolean allZero(float[] a, int len) {
    for (int i = 0; i < len; i++) {
      if (a[i] != 0f) {
        return false;
      }
    }
    return true;
  }

  /**
   * For input {@code x} (c order [m, n, t]): per (step, b), at {@code r = step*m + b}, the feature
   * indices of the (at most two) exact 1s among exact zeros: the lower at {@code r}, the other at
   * {@code t*m + r}, -1 where there is none (a one-hot value, plus the stateful variant's
   * window-start marker). Null if any (b, step) holds anything else (then the dense path runs).
   */
  static int[] oneHot(float[] x, int m, int n, int t, int[] reuse) {
    int tm = m * t;
    int[] hot = reuse != null && reuse.length >= 2 * tm ? reuse : new int[2 * tm];
    Arrays.fill(hot, 0, 2 * tm, -1);
    for (int b = 0; b < m; b++) {
      for (int k = 0; k < n; k++) {
        int base = (b * n + k) * t;
        for (int step = 0; step < t; step++) {
          float v = x[base + step];
          if (v != 0f) {
            int at = step * m + b;
            if (v != 1f || hot[tm + at] >= 0) {
              return null;
            }
            hot[hot[at] >= 0 ? tm + at : at] = k;
          }
        }
      }
    }
    return hot;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      NeuralNetConfiguration conf,
      IActivation gateActivationFn,
      INDArray input,
      INDArray recurrentWeights,
      INDArray inputWeights,
      INDArray epsilon,
      boolean truncatedBPTT,
      int tbpttBackwardLength,
      FwdPassReturn fwdPass,
      boolean forwards,
      String inputWeightKey,
      String recurrentWeightKey,
      String biasWeightKey,
      Map<String, INDArray> gradientViews,
      INDArray maskArray,
      boolean hasPeepholeConnections,
      LayerWorkspaceMgr workspaceMgr) {
    if (!(fwdPass instanceof FastFwdPass fp)) {
      // The forward pass was declined: DL4J's code did it, and does the backward pass too.
      declined++;
      return null;
    }
    State s = fp.state;
    if (!s.valid || s.version != fp.version) {
      throw new IllegalStateException(
          "LSTM forward state was overwritten before its backward pass (version "
              + fp.version
              + ", now "
              + s.version
              + ")");
    }
    if (maskArray != null || hasPeepholeConnections || !forwards) {
      throw new IllegalStateException("unsupported backprop arguments for the fast LSTM");
    }
    final int m = s.m;
    final int n = s.n;
    final int h = s.h;
    final int t = s.t;
    final int g = 4 * h;
    final int mh = m * h;
    final int mg = m * g;
    if (epsilon.rank() != 3
        || epsilon.size(0) != m
        || epsilon.size(1) != h
        || epsilon.size(2) != t
        || input.size(0) != m
        || input.size(1) != n
        || input.size(2) != t
        || epsilon.dataType() != DataType.FLOAT) {
      throw new IllegalStateException(
          "epsilon/input shapes do not match the forward pass: "
              + epsilon.shapeInfoToString()
              + ", "
              + input.shapeInfoToString());
    }
    backwards++;
    ensureBuffers(m, n, h, t);
    eps = Nd.readF(epsilon, eps);
    final int tm = t * m;
    // Deltas of all steps, f order [t*m, 4h]: (step*m + b) + q*t*m; of one step, f order [m, 4h].
    dAll = Nd.ensure(dAll, t * mg);
    dStep = Nd.ensure(dStep, mg);
    maskRow = Nd.ensure(maskRow, m);
    nablaOut = Nd.ensure(nablaOut, mh);
    nablaC = Nd.ensure(nablaC, mh);
    final int endIdx = truncatedBPTT ? Math.max(0, t - tbpttBackwardLength) : 0;
    final float[] acts = s.acts;
    final float[] tc = s.tc;
    final float[] c = s.c;
    final float[] mask = s.mask;
    final float[] e = eps;
    final float[] no = nablaOut;
    final float[] nc = nablaC;
    final float[] d = dAll;
    final float[] ds = dStep;
    final float[] mr = maskRow;
    if (endIdx > 0) {
      for (int q = 0; q < g; q++) {
        Arrays.fill(d, q * tm, q * tm + endIdx * m, 0f);
      }
    }
    if (mask == null) {
      Arrays.fill(mr, 0, m, 1f);
    }
    // Per step, loops run along the batch index b, contiguous in every array (f order [m, .]).
    for (int step = t - 1; step >= endIdx; step--) {
      final boolean last = step == t - 1;
      if (!last) {
        // dStepN holds the deltas of step + 1.
        Nd4j.gemm(dStepN, recurrentWeights, noN, false, true, 1.0, 0.0);
        noP.get(no, 0, mh);
      }
      if (mask != null) {
        for (int b = 0; b < m; b++) {
          mr[b] = mask[b * t + step];
        }
      }
      final int ao = step * mg;
      final int so = step * mh;
      final int nextF = (step + 1) * mg + mh;
      final float[] cPrev = step == 0 ? s.c0 : c;
      final int cpo = step == 0 ? 0 : (step - 1) * mh;
      for (int j = 0; j < h; j++) {
        final int jm = j * m;
        final int ai = ao + jm;
        final int af = ai + mh;
        final int ag = ai + 2 * mh;
        final int agg = ai + 3 * mh;
        final int sj = so + jm;
        final int cj = cpo + jm;
        final int fj = nextF + jm;
        for (int b = 0; b < m; b++) {
          float nOut = last ? e[sj + b] : e[sj + b] + no[jm + b];
          float iv = acts[ai + b];
          float fv = acts[af + b];
          float ov = acts[ag + b];
          float gv = acts[agg + b];
          float tcv = tc[sj + b];
          float deltaO = (nOut * tcv) * (ov * (1f - ov));
          // DL4J differentiates tanh at the stored (masked) cell: tanh(0) = 0, derivative 1 where
          // masked. The mask is exactly 0 or 1, so this is 1 - tc^2 or exactly 1.
          float dTanhC = 1f - (tcv * tcv) * mr[b];
          float ncv = dTanhC * (ov * nOut);
          if (!last) {
            ncv += acts[fj + b] * nc[jm + b];
          }
          nc[jm + b] = ncv;
          ds[jm + b] = (1f - iv * iv) * (gv * ncv);
          ds[mh + jm + b] = ((fv * (1f - fv)) * ncv) * cPrev[cj + b];
          ds[2 * mh + jm + b] = deltaO;
          ds[3 * mh + jm + b] = ((gv * (1f - gv)) * iv) * ncv;
        }
      }
      for (int q = 0; q < g; q++) {
        System.arraycopy(ds, q * m, d, q * tm + step * m, m);
      }
      if (step > endIdx) {
        dStepP.put(ds, 0, mg);
      }
    }
    dAllP.put(d, 0, t * mg);

    INDArray gW = gradientViews.get(inputWeightKey);
    INDArray gR = gradientViews.get(recurrentWeightKey);
    INDArray gB = gradientViews.get(biasWeightKey);
    // Input weights.
    if (s.hot != null) {
      gw = Nd.ensure(gw, n * g);
      Arrays.fill(gw, 0, n * g, 0f);
      final int[] hot = s.hot;
      for (int q = 0; q < g; q++) {
        final int qn = q * n;
        final int qd = q * tm;
        for (int row = endIdx * m; row < tm; row++) {
          int k = hot[row];
          if (k >= 0) {
            gw[qn + k] += d[qd + row];
            int k2 = hot[tm + row];
            if (k2 >= 0) {
              gw[qn + k2] += d[qd + row];
            }
          }
        }
      }
      Nd.writeF(gW, gw, n * g);
    } else {
      Nd.gemmInto(xN, dAllN, gW, true, false);
    }
    // Recurrent weights: rows t*m+b of hp hold h_{t-1}(b).
    hp = Nd.ensure(hp, t * mh);
    // f order [t*m, h]: (step*m + b) + j*t*m
    for (int step = 0; step < t; step++) {
      float[] src = step == 0 ? s.h0 : s.out;
      int off = step == 0 ? 0 : (step - 1) * mh;
      for (int j = 0; j < h; j++) {
        System.arraycopy(src, off + j * m, hp, step * m + j * t * m, m);
      }
    }
    hpP.put(hp, 0, t * mh);
    Nd.gemmInto(hpN, dAllN, gR, true, false);
    // Biases.
    gb = Nd.ensure(gb, g);
    Arrays.fill(gb, 0, g, 0f);
    for (int q = 0; q < g; q++) {
      final int qd = q * tm;
      float sum = 0f;
      for (int row = endIdx * m; row < tm; row++) {
        sum += d[qd + row];
      }
      gb[q] = sum;
    }
    Nd.writeF(gB, gb, g);
    Gradient grad = new DefaultGradient();
    grad.gradientForVariable().put(inputWeightKey, gW);
    grad.gradientForVariable().put(recurrentWeightKey, gR);
    grad.gradientForVariable().put(biasWeightKey, gB);
    if (skipInputEpsilon) {
      // The caller discards the epsilon of the layer below (see FastLstmLayer).
      epsilonsSkipped++;
      return new Pair<>(grad, null);
    }
    // Epsilon: [t*m, n] = dAll W^T, laid out as f order [m, t, n], returned as [m, n, t].
    INDArray e3 =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {m, t, n}, 'f');
    INDArray e2 = e3.reshape('f', (long) m * t, n);
    Nd.checkSharesBuffer(e3, e2);
    Nd4j.gemm(dAllN, inputWeights, e2, false, true, 1.0, 0.0);
    INDArray epsOut = e3.permute(0, 2, 1);
    return new Pair<>(grad, epsOut);
  }
}
