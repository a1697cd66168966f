package io.echolstm.model;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast helper, counting what it did for tests: forward passes computed (on the one-hot or the
 * dense path) or reused from the cache, backward passes, input epsilons skipped, and calls declined
 * (returned null, so DL4J's code ran). Not thread-safe; read after the calls.
 */
class CountingFastLstmHelper extends FastLstmHelper {

  /** What the helper did so far. */
  record Stats(
      long forwardsComputed,
      long forwardsReused,
      long oneHotForwards,
      long denseForwards,
      long backwards,
      long epsilonsSkipped,
      long declined,
      long maskedForwards) {}

  private long forwardsComputed;
  private long forwardsReused;
  private long oneHotForwards;
  private long denseForwards;
  private long backwards;
  private long epsilonsSkipped;
  private long declined;
  private long maskedForwards;

  Stats stats() {
    return new Stats(
        forwardsComputed,
        forwardsReused,
        oneHotForwards,
        denseForwards,
        backwards,
        epsilonsSkipped,
        declined,
        maskedForwards);
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
    long computed = forwardsComputed;
    FwdPassReturn ret =
        super.activate(
            layer,
            conf,
            gateActivationFn,
            input,
            recurrentWeights,
            inputWeights,
            biases,
            training,
            prevOutputActivations,
            prevMemCellState,
            forBackprop,
            forwards,
            inputWeightKey,
            maskArray,
            hasPeepholeConnections,
            workspaceMgr);
    if (ret == null) {
      declined++;
    } else if (forwardsComputed == computed) {
      forwardsReused++;
    }
    return ret;
  }

  @Override
  void computeForward(ForwardState s, INDArray inputWeights, INDArray recurrentWeights) {
    super.computeForward(s, inputWeights, recurrentWeights);
    forwardsComputed++;
    if (s.mask != null) {
      maskedForwards++;
    }
    if (s.hot != null) {
      oneHotForwards++;
    } else {
      denseForwards++;
    }
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
    Pair<Gradient, INDArray> ret =
        super.backpropGradient(
            conf,
            gateActivationFn,
            input,
            recurrentWeights,
            inputWeights,
            epsilon,
            truncatedBPTT,
            tbpttBackwardLength,
            fwdPass,
            forwards,
            inputWeightKey,
            recurrentWeightKey,
            biasWeightKey,
            gradientViews,
            maskArray,
            hasPeepholeConnections,
            workspaceMgr);
    if (ret == null) {
      declined++;
    } else {
      backwards++;
      if (ret.getSecond() == null) {
        epsilonsSkipped++;
      }
    }
    return ret;
  }
}
