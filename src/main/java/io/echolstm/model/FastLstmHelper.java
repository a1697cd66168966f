package io.echolstm.model;

import java.util.Collections;
import java.util.Map;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The math of DL4J's {@code LSTMHelpers} (forward direction, no peepholes, tanh cell activation,
 * sigmoid gates, gate order i/f/o/g of the parameter views, feature mask applied to activations and
 * memory cell in the forward pass only, exactly as DL4J's {@code LSTM} layer does) with far fewer
 * ND4J calls: {@link LstmForward} and {@link LstmBackward} on the reused native buffers of {@link
 * LstmBuffers}, the input projection a {@link OneHotRows} lookup when the input is one-hot (or
 * one-hot plus the stateful variant's window-start marker, detected exactly). The forward state of
 * the last call is kept ({@link ForwardCache}), so the backprop call (which DL4J's layer makes
 * after a second forward pass) reuses it when its input, parameters, mask and initial state are
 * bit-for-bit the same; otherwise it is recomputed.
 *
 * <p>Declines (returns {@code null}, so DL4J's built-in code runs) anything else: see {@link
 * #accepts} and {@link #binary}, and a backprop call whose forward pass DL4J's code did. One
 * instance per layer; not thread-safe, as DL4J layers are not.
 */
public class FastLstmHelper implements LSTMHelper {
  private final ForwardCache cache = new ForwardCache();
  private final LstmBuffers buffers = new LstmBuffers();
  private final LstmForward forward = new LstmForward(buffers);
  private final LstmBackward backward = new LstmBackward(buffers);

  /**
   * Frees the native buffers this helper reuses between passes; a later pass allocates them again.
   * For a network that is done, so its buffers need not wait for the garbage collector.
   */
  public void releaseBuffers() {
    buffers.close();
  }

  /** Set by {@link FastLstmLayer} around one backprop call whose input epsilon is discarded. */
  private boolean skipInputEpsilon;

  /** What the helper returns from a forward pass for backprop. */
  static final class FastFwdPass extends FwdPassReturn {
    final ForwardState state;
    final long version;

    FastFwdPass(ForwardState state) {
      this.state = state;
      this.version = state.version;
    }
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
    return supportedCell(gateActivationFn, activationFn, hasPeepholeConnections);
  }

  private static boolean supportedCell(
      IActivation gateActivationFn, IActivation activationFn, boolean hasPeepholeConnections) {
    return gateActivationFn instanceof ActivationSigmoid
        && activationFn instanceof ActivationTanH
        && !hasPeepholeConnections;
  }

  /**
   * True when the fast math covers a forward call with these arguments, apart from the mask's
   * values ({@link #binary}): forward direction, sigmoid gates, tanh activation, no peepholes, a
   * rank-3 input {@code [m, n, t]}, every array float, weights {@code [n, 4h]} and {@code [h, 4h]},
   * {@code 4h} biases, and a mask, if any, of shape {@code [m, t]}.
   */
  static boolean accepts(
      boolean forwards,
      IActivation gateActivationFn,
      IActivation activationFn,
      boolean hasPeepholeConnections,
      INDArray input,
      INDArray recurrentWeights,
      INDArray inputWeights,
      INDArray biases,
      INDArray maskArray,
      INDArray prevOutputActivations,
      INDArray prevMemCellState) {
    if (!forwards
        || !supportedCell(gateActivationFn, activationFn, hasPeepholeConnections)
        || input.rank() != 3
        || !allFloat(input, recurrentWeights, inputWeights, biases)
        || (maskArray != null && maskArray.dataType() != DataType.FLOAT)
        || (prevOutputActivations != null && prevOutputActivations.dataType() != DataType.FLOAT)
        || (prevMemCellState != null && prevMemCellState.dataType() != DataType.FLOAT)) {
      return false;
    }
    long m = input.size(0);
    long n = input.size(1);
    long t = input.size(2);
    long h = recurrentWeights.size(0);
    return inputWeights.size(0) == n
        && inputWeights.size(1) == 4L * h
        && recurrentWeights.size(1) == 4L * h
        && biases.length() == 4L * h
        && (maskArray == null
            || (maskArray.rank() == 2 && maskArray.size(0) == m && maskArray.size(1) == t));
  }

  /** True when the first {@code len} values of {@code mask} are all exactly 0 or 1. */
  static boolean binary(float[] mask, int len) {
    for (int i = 0; i < len; i++) {
      float v = mask[i];
      if (v != 0f && v != 1f) {
        return false;
      }
    }
    return true;
  }

  private static boolean allFloat(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a.dataType() != DataType.FLOAT) {
        return false;
      }
    }
    return true;
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
    if (!accepts(
        forwards,
        gateActivationFn,
        afn,
        hasPeepholeConnections,
        input,
        recurrentWeights,
        inputWeights,
        biases,
        maskArray,
        prevOutputActivations,
        prevMemCellState)) {
      return null;
    }
    int m = (int) input.size(0);
    int n = (int) input.size(1);
    int t = (int) input.size(2);
    int h = (int) recurrentWeights.size(0);
    if (!cache.read(
        input,
        inputWeights,
        recurrentWeights,
        biases,
        maskArray,
        prevOutputActivations,
        prevMemCellState,
        m,
        n,
        h,
        t)) {
      return null;
    }
    ForwardState s;
    if (cache.hit()) {
      s = cache.state();
    } else {
      s = cache.adoptKey();
      computeForward(s, inputWeights, recurrentWeights);
      cache.computed();
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

  /**
   * Computes the forward pass of the key {@code s} holds (not found in the cache) into {@code s}.
   */
  void computeForward(ForwardState s, INDArray inputWeights, INDArray recurrentWeights) {
    forward.compute(s, inputWeights, recurrentWeights);
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
      return null;
    }
    ForwardState s = fp.state;
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
    if (epsilon.rank() != 3
        || epsilon.size(0) != s.m
        || epsilon.size(1) != s.h
        || epsilon.size(2) != s.t
        || input.size(0) != s.m
        || input.size(1) != s.n
        || input.size(2) != s.t
        || epsilon.dataType() != DataType.FLOAT) {
      throw new IllegalStateException(
          "epsilon/input shapes do not match the forward pass: "
              + epsilon.shapeInfoToString()
              + ", "
              + input.shapeInfoToString());
    }
    final int endIdx = truncatedBPTT ? Math.max(0, s.t - tbpttBackwardLength) : 0;
    backward.deltas(s, epsilon, recurrentWeights, endIdx);
    INDArray gW = gradientViews.get(inputWeightKey);
    INDArray gR = gradientViews.get(recurrentWeightKey);
    INDArray gB = gradientViews.get(biasWeightKey);
    backward.weightGradients(s, endIdx, gW, gR, gB);
    Gradient grad = new DefaultGradient();
    grad.gradientForVariable().put(inputWeightKey, gW);
    grad.gradientForVariable().put(recurrentWeightKey, gR);
    grad.gradientForVariable().put(biasWeightKey, gB);
    if (skipInputEpsilon) {
      // The caller discards the epsilon of the layer below (see FastLstmLayer).
      return new Pair<>(grad, null);
    }
    return new Pair<>(grad, backward.inputEpsilon(s, inputWeights, workspaceMgr));
  }
}
