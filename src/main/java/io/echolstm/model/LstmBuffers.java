package io.echolstm.model;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The native buffers the fast LSTM's forward and backward passes reuse, detached from any workspace
 * and sized for one shape (batch {@code m}, {@code n} inputs, {@code h} units, {@code t} steps),
 * each with a pointer for bulk copies from and to Java arrays. The forward pass leaves the dense
 * input rows in {@link #xN} for the input-weight gradient.
 */
final class LstmBuffers {
  private int bm = -1;
  private int bn = -1;
  private int bh = -1;
  private int bt = -1;

  /** Gate pre-activations of one step, f order [m, 4h], and its views: all, block i, blocks fog. */
  INDArray zFlat;

  INDArray z2d;
  INDArray zI;
  INDArray zFog;

  /** One step's cell, f order [m*h]. */
  INDArray cN;

  /** One step's previous output, f order [m, h]. */
  INDArray hN;

  /** The dense input of all steps, c order [t*m, n]. */
  INDArray xN;

  /** The input projection of all steps, f order [t*m, 4h]. */
  INDArray zxN;

  /** The gate deltas of all steps, f order [t*m, 4h]. */
  INDArray dAllN;

  /** The gate deltas of one step, f order [m, 4h]. */
  INDArray dStepN;

  /** The recurrent part of the output gradient, f order [m, h]. */
  INDArray noN;

  /** The previous outputs of all steps, f order [t*m, h]. */
  INDArray hpN;

  FloatPointer zP;
  FloatPointer cP;
  FloatPointer hP;
  FloatPointer xP;
  FloatPointer zxP;
  FloatPointer dAllP;
  FloatPointer dStepP;
  FloatPointer noP;
  FloatPointer hpP;

  /** Sizes the buffers for (m, n, h, t); keeps them when they already have that size. */
  void ensure(int m, int n, int h, int t) {
    if (m == bm && n == bn && h == bh && t == bt) {
      return;
    }
    int g = 4 * h;
    // The buffers of the last shape are this object's alone: freed now, not left to the garbage
    // collector (a shape changes at every partial minibatch and evaluation batch size).
    close();
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

  /** Frees the buffers (their views and pointers with them); the next {@link #ensure} allocates. */
  void close() {
    for (INDArray a : new INDArray[] {zFlat, cN, hN, xN, zxN, dAllN, dStepN, noN, hpN}) {
      if (a != null && a.closeable()) {
        a.close();
      }
    }
    zFlat = z2d = zI = zFog = cN = hN = xN = zxN = dAllN = dStepN = noN = hpN = null;
    zP = cP = hP = xP = zxP = dAllP = dStepP = noP = hpP = null;
    bm = bn = bh = bt = -1;
  }
}
