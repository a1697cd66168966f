package io.echolstm.model;

import java.lang.StackWalker.StackFrame;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
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
 *
 * <p><b>Truncated BPTT.</b> In DL4J 1.0.0-M2, {@code MultiLayerNetwork.doTruncatedBPTT} runs each
 * segment's forward pass from the state the previous segment left ({@code
 * rnnActivateUsingStoredState}), but {@code computeGradientAndScore} then calls {@code
 * calcBackpropGradients(null, true, false, false)} ({@code tbptt = false}), so the layer's {@code
 * backpropGradient} recomputes the forward pass from a zero state: the gradients belong to a
 * different forward pass than the one that produced the segment's outputs and loss. This layer
 * remembers the initial state of its last training forward pass from stored state and, when the
 * next backprop call is for that same input, backpropagates the forward pass started from it
 * (DL4J's own {@code tbpttBackpropGradient} path, with that state), through the whole segment, the
 * state treated as a constant: gradients stop at the segment boundary. Any other forward pass
 * (standard {@code activate}, {@code rnnTimeStep}, a new input, clearing the state) ends that
 * pairing. {@code tBPTTBackwardLength} is not used (DL4J M2 ignores it too); {@link NetworkFactory}
 * sets it equal to the segment length.
 */
public class FastLstmLayer extends LSTM {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final FastLstmHelper fast;

  /**
   * The last forward pass was a training forward pass from stored (TBPTT) state, of {@link
   * #carriedInput}, started from {@link #carriedActivation} and {@link #carriedMemory} (null:
   * zero).
   */
  private boolean carried;

  private INDArray carriedInput;
  private INDArray carriedActivation;
  private INDArray carriedMemory;

  /** A layer running {@code fast}, which no other layer may share. */
  public FastLstmLayer(NeuralNetConfiguration conf, DataType dataType, FastLstmHelper fast) {
    super(conf, dataType);
    this.fast = fast;
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
      if (carried && input == carriedInput) {
        return backpropFromCarriedState(epsilon, workspaceMgr);
      }
      return super.backpropGradient(epsilon, workspaceMgr);
    } finally {
      fast.skipInputEpsilon(false);
    }
  }

  /**
   * DL4J's truncated-BPTT backprop (which starts its forward pass from {@code stateMap}) with
   * {@code stateMap} holding the initial state of the training forward pass; both state maps are
   * restored afterwards. The helper's cached forward pass has this input, parameters and initial
   * state, so it is reused, not recomputed.
   */
  private Pair<Gradient, INDArray> backpropFromCarriedState(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    Map<String, INDArray> savedState = new HashMap<>(stateMap);
    Map<String, INDArray> savedTbpttState = new HashMap<>(tBpttStateMap);
    stateMap.clear();
    if (carriedActivation != null && carriedMemory != null) {
      stateMap.put(STATE_KEY_PREV_ACTIVATION, carriedActivation);
      stateMap.put(STATE_KEY_PREV_MEMCELL, carriedMemory);
    }
    try {
      // The whole segment: endIdx = max(0, length - backwardLength) = 0.
      return super.tbpttBackpropGradient(epsilon, Integer.MAX_VALUE, workspaceMgr);
    } finally {
      stateMap.clear();
      stateMap.putAll(savedState);
      tBpttStateMap.clear();
      tBpttStateMap.putAll(savedTbpttState);
    }
  }

  @Override
  public INDArray rnnActivateUsingStoredState(
      INDArray input, boolean training, boolean storeLastForTBPTT, LayerWorkspaceMgr workspaceMgr) {
    INDArray activation = tBpttStateMap.get(STATE_KEY_PREV_ACTIVATION);
    INDArray memory = tBpttStateMap.get(STATE_KEY_PREV_MEMCELL);
    INDArray out =
        super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, workspaceMgr);
    if (training) {
      // After super's setInput (which ended any earlier pairing).
      carried = true;
      carriedInput = this.input;
      carriedActivation = activation;
      carriedMemory = memory;
    }
    return out;
  }

  /** True while a backprop call would use the carried initial state (for tests). */
  boolean backpropUsesCarriedState() {
    return carried && input == carriedInput;
  }

  private void endCarriedState() {
    carried = false;
    carriedInput = null;
    carriedActivation = null;
    carriedMemory = null;
  }

  @Override
  public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    endCarriedState();
    super.setInput(input, workspaceMgr);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    endCarriedState();
    return super.activate(training, workspaceMgr);
  }

  @Override
  public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    endCarriedState();
    return super.rnnTimeStep(input, workspaceMgr);
  }

  @Override
  public void rnnClearPreviousState() {
    endCarriedState();
    super.rnnClearPreviousState();
  }

  @Override
  public void clear() {
    endCarriedState();
    super.clear();
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
