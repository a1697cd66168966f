package io.echolstm.model;

import java.lang.StackWalker.StackFrame;
import java.util.Iterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's LSTM layer with {@link FastLstmHelper} installed; one helper per layer instance.
 *
 * <p>When this layer is layer 0 of a {@link MultiLayerNetwork} and is backpropagated by {@code
 * MultiLayerNetwork.computeGradientAndScore()} (what {@code fit} runs), the epsilon for the input
 * is not computed and {@code null} is returned: in DL4J 1.0.0-M2, that method calls {@code
 * calcBackpropGradients(null, true, false, false)}, which (returnInputActGrad false) sets the
 * epsilon of layer 0 to null without reading it, and no other code sees it. Every other caller
 * ({@code calculateGradients}, {@code MultiLayerNetwork.backpropGradient}, a ComputationGraph, any
 * other layer position, a direct call) gets the full epsilon.
 */
public class FastLstmLayer extends LSTM {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final FastLstmHelper fast;

  public FastLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    this.fast = new FastLstmHelper();
    this.helper = fast;
  }

  public FastLstmHelper fastHelper() {
    return fast;
  }

  /** DL4J's count of helper failures (stays 0: fallback is disabled by {@link FastLstm}). */
  public int helperFailures() {
    return helperCountFail;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    // Dropout would be applied to the returned epsilon (it rejects null): keep it then.
    boolean skip =
        getIndex() == 0 && layerConf().getIDropout() == null && calledByFitOfNetworkInput();
    fast.skipInputEpsilon(skip);
    try {
      return super.backpropGradient(epsilon, workspaceMgr);
    } finally {
      fast.skipInputEpsilon(false);
    }
  }

  /**
   * True iff the caller of {@code backpropGradient} is {@code
   * MultiLayerNetwork.calcBackpropGradients}, directly or through {@link LastTimeStepLayer} (which
   * returns the underlying result unchanged), called by {@code
   * MultiLayerNetwork.computeGradientAndScore} (both declared by {@link MultiLayerNetwork} itself,
   * not a subclass). Then the epsilon this layer returns, as layer 0, is dropped.
   */
  static boolean calledByFitOfNetworkInput() {
    return WALKER.walk(
        frames -> {
          Iterator<StackFrame> it = frames.iterator();
          StackFrame f = it.hasNext() ? it.next() : null;
          // Our own frames: this method, backpropGradient.
          while (f != null && f.getDeclaringClass() == FastLstmLayer.class) {
            f = it.hasNext() ? it.next() : null;
          }
          while (f != null
              && f.getDeclaringClass() == LastTimeStepLayer.class
              && f.getMethodName().equals("backpropGradient")) {
            f = it.hasNext() ? it.next() : null;
          }
          if (f == null
              || f.getDeclaringClass() != MultiLayerNetwork.class
              || !f.getMethodName().equals("calcBackpropGradients")
              || !it.hasNext()) {
            return false;
          }
          StackFrame caller = it.next();
          return caller.getDeclaringClass() == MultiLayerNetwork.class
              && caller.getMethodName().equals("computeGradientAndScore");
        });
  }
}
