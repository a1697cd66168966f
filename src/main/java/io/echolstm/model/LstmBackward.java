package io.echolstm.model;

import java.util.Arrays;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast LSTM's backward pass through a {@link ForwardState} (DL4J's {@code LSTMHelpers} math):
 * the gate deltas of all steps, per step one gemm for the recurrence and the element-wise products
 * in Java; then the weight gradients and the input epsilon of all steps as one gemm each (the
 * input-weight gradient a {@link OneHotRows} scatter-add when the input was one-hot). Not
 * thread-safe (one per helper); {@link #deltas} first, then the others read what it left.
 */
final class LstmBackward {
  private final LstmBuffers buffers;

  // Java scratch.
  private float[] dAll;
  private float[] dStep;
  private float[] maskRow;
  private float[] eps;
  private float[] nablaOut;
  private float[] nablaC;
  private float[] hp;
  private float[] gw;
  private float[] gb;

  LstmBackward(LstmBuffers buffers) {
    this.buffers = buffers;
  }

  /**
   * The gate deltas of steps {@code endIdx..t-1} of {@code s} for output gradient {@code epsilon}
   * (f order [m, h, t]), zero for the steps before; kept for the calls below.
   */
  void deltas(ForwardState s, INDArray epsilon, INDArray recurrentWeights, int endIdx) {
    final int m = s.m;
    final int h = s.h;
    final int t = s.t;
    final int g = 4 * h;
    final int mh = m * h;
    final int mg = m * g;
    final LstmBuffers nd = buffers;
    nd.ensure(m, s.n, h, t);
    eps = Nd.readF(epsilon, eps);
    final int tm = t * m;
    // Deltas of all steps, f order [t*m, 4h]: (step*m + b) + q*t*m; of one step, f order [m, 4h].
    dAll = Nd.ensure(dAll, t * mg);
    dStep = Nd.ensure(dStep, mg);
    maskRow = Nd.ensure(maskRow, m);
    nablaOut = Nd.ensure(nablaOut, mh);
    nablaC = Nd.ensure(nablaC, mh);
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
        Nd4j.gemm(nd.dStepN, recurrentWeights, nd.noN, false, true, 1.0, 0.0);
        nd.noP.get(no, 0, mh);
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
        nd.dStepP.put(ds, 0, mg);
      }
    }
    nd.dAllP.put(d, 0, t * mg);
  }

  /**
   * Writes the input-weight, recurrent-weight and bias gradients of the last {@link #deltas} (from
   * step {@code endIdx}) into {@code gW}, {@code gR} and {@code gB}.
   */
  void weightGradients(ForwardState s, int endIdx, INDArray gW, INDArray gR, INDArray gB) {
    final int m = s.m;
    final int n = s.n;
    final int h = s.h;
    final int t = s.t;
    final int g = 4 * h;
    final int mh = m * h;
    final int tm = t * m;
    final float[] d = dAll;
    final LstmBuffers nd = buffers;
    // Input weights.
    if (s.hot != null) {
      gw = Nd.ensure(gw, n * g);
      OneHotRows.weightGradient(s.hot, d, n, g, tm, endIdx * m, gw);
      Nd.writeF(gW, gw, n * g);
    } else {
      // The forward pass left this state's input rows in xN.
      Nd.gemmInto(nd.xN, nd.dAllN, gW, true, false);
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
    nd.hpP.put(hp, 0, t * mh);
    Nd.gemmInto(nd.hpN, nd.dAllN, gR, true, false);
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
  }

  /**
   * The epsilon for the layer below of the last {@link #deltas}: {@code [t*m, n] = dAll W^T}, laid
   * out as f order [m, t, n] and returned as [m, n, t].
   */
  INDArray inputEpsilon(ForwardState s, INDArray inputWeights, LayerWorkspaceMgr workspaceMgr) {
    final int m = s.m;
    final int n = s.n;
    final int t = s.t;
    INDArray e3 =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {m, t, n}, 'f');
    INDArray e2 = e3.reshape('f', (long) m * t, n);
    Nd.checkSharesBuffer(e3, e2);
    Nd4j.gemm(buffers.dAllN, inputWeights, e2, false, true, 1.0, 0.0);
    return e3.permute(0, 2, 1);
  }
}
