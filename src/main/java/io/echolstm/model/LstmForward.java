package io.echolstm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast LSTM's forward pass (DL4J's {@code LSTMHelpers} math: gate blocks i (tanh), f, o, g
 * (sigmoid), {@code c = f c' + g i}, {@code h = o tanh(c)}, the feature mask applied to output and
 * cell): the input projection of all steps at once (a {@link OneHotRows} lookup, else one gemm),
 * per step one gemm for the recurrence and three native activation ops on reused buffers, the
 * element-wise products in Java. Not thread-safe (one per helper).
 */
final class LstmForward {
  private final LstmBuffers buffers;

  // Java scratch.
  private float[] xRows;
  private float[] zx;
  private float[] z;
  private float[] craw;

  LstmForward(LstmBuffers buffers) {
    this.buffers = buffers;
  }

  /**
   * Computes the forward pass of the key {@code s} holds into its values; {@code inputWeights} and
   * {@code recurrentWeights} are the parameters that key was read from.
   */
  void compute(ForwardState s, INDArray inputWeights, INDArray recurrentWeights) {
    final int m = s.m;
    final int n = s.n;
    final int h = s.h;
    final int t = s.t;
    final int g = 4 * h;
    final int mh = m * h;
    final int mg = m * g;
    final LstmBuffers nd = buffers;
    nd.ensure(m, n, h, t);
    s.acts = Nd.ensure(s.acts, t * mg);
    s.tc = Nd.ensure(s.tc, t * mh);
    s.c = Nd.ensure(s.c, t * mh);
    s.out = Nd.ensure(s.out, t * mh);
    z = Nd.ensure(z, mg);
    craw = Nd.ensure(craw, mh);
    s.zeroInit = allZero(s.h0, mh) && allZero(s.c0, mh);
    s.hot = OneHotRows.find(s.x, m, n, t, s.hot);
    final float[] w = s.w;
    final float[] bias = s.bias;
    final int[] hot = s.hot;
    if (hot == null) {
      projectDense(s.x, m, n, t, g, inputWeights);
    }
    final float[] acts = s.acts;
    final float[] tc = s.tc;
    final float[] c = s.c;
    final float[] out = s.out;
    final float[] mask = s.mask;
    if (!s.zeroInit) {
      nd.hP.put(s.h0, 0, mh);
    }
    for (int step = 0; step < t; step++) {
      // z = x W + b, f order [m, 4h]
      if (hot != null) {
        OneHotRows.project(hot, w, bias, m, n, t, g, step, z);
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
      nd.zP.put(z, 0, mg);
      if (step > 0 || !s.zeroInit) {
        Nd4j.gemm(nd.hN, recurrentWeights, nd.z2d, false, false, 1.0, 1.0);
      }
      Nd4j.getExecutioner().exec(new Tanh(nd.zI, nd.zI));
      Nd4j.getExecutioner().exec(new Sigmoid(nd.zFog, nd.zFog));
      final int ao = step * mg;
      nd.zP.get(acts, ao, mg);
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
      nd.cP.put(craw, 0, mh);
      Nd4j.getExecutioner().exec(new Tanh(nd.cN, nd.cN));
      nd.cP.get(tc, so, mh);
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
        nd.hP.put(out, so, mh);
      }
    }
  }

  /**
   * {@code x W} of all steps into {@link #zx} (f order [t*m, 4h]) by one gemm, the input rows left
   * in the native buffer for the input-weight gradient.
   */
  private void projectDense(float[] x, int m, int n, int t, int g, INDArray inputWeights) {
    final int mg = m * g;
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
    buffers.xP.put(xRows, 0, t * m * n);
    Nd4j.gemm(buffers.xN, inputWeights, buffers.zxN, false, false, 1.0, 0.0);
    buffers.zxP.get(zx, 0, t * mg);
  }

  private static boolean allZero(float[] a, int len) {
    for (int i = 0; i < len; i++) {
      if (a[i] != 0f) {
        return false;
      }
    }
    return true;
  }
}
