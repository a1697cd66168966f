package io.echolstm.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * DL4J's dense softmax output layer with multi-class cross-entropy, its training step done once:
 * DL4J's {@code MultiLayerNetwork.computeGradientAndScore} backpropagates the output layer (a
 * pre-output gemm, a softmax, the loss gradient) and then asks it for the score, which computes the
 * pre-output and the softmax again. Here backprop computes the pre-output with one gemm, the
 * softmax, the gradient {@code p - y} and the cross-entropy in one pass over Java arrays, and keeps
 * the cross-entropy for the score call that follows when the input, labels and parameters are bit
 * for bit the ones it was computed from. The math is DL4J's ({@code LossMCXENT} with its clipping
 * of probabilities in the score, the bias added after the gemm); the results equal DL4J's up to
 * float rounding.
 *
 * <p>Declines (runs DL4J's code) for anything else: another loss or activation, loss weights,
 * dropout, weight noise, layer norm, no bias, a mask, non-float data.
 */
public class FastOutputLayer extends OutputLayer {
  private float[] inputC;
  private float[] weightsF;
  private float[] bias;
  private float[] labelsC;
  private float[] probabilities;
  private float[] deltaC;
  private INDArray preOut;
  private INDArray delta;

  /** What the last fast backprop computed its score from, and the score (sum of terms). */
  private float[] keyInput;

  private float[] keyWeights;
  private float[] keyBias;
  private float[] keyLabels;
  private double scoreSum;
  private boolean scoreKept;

  public FastOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Whether this call's arguments are ones the fast path implements exactly. */
  boolean fastPath() {
    var c = layerConf();
    return c.getLossFn() instanceof LossMCXENT loss
        && loss.getWeights() == null
        && c.getActivationFn() instanceof ActivationSoftmax
        && c.getIDropout() == null
        && c.getWeightNoise() == null
        && !hasLayerNorm()
        && hasBias()
        && maskArray == null
        && dataType == DataType.FLOAT
        && input != null
        && labels != null
        && input.dataType() == DataType.FLOAT
        && labels.dataType() == DataType.FLOAT
        && input.rank() == 2
        && labels.rank() == 2
        && input.size(0) == labels.size(0)
        && labels.size(1) == getParam(DefaultParamInitializer.WEIGHT_KEY).size(1)
        && input.size(1) == getParam(DefaultParamInitializer.WEIGHT_KEY).size(0);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    scoreKept = false;
    if (!fastPath()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
    INDArray b = getParam(DefaultParamInitializer.BIAS_KEY);
    int m = Math.toIntExact(input.size(0));
    int nIn = Math.toIntExact(w.size(0));
    int nOut = Math.toIntExact(w.size(1));
    ensureBuffers(m, nOut);

    // z = input . W (c order), then p = softmax(z + b) row by row, delta = p - y, and the
    // cross-entropy terms y log(clip(p)) of LossMCXENT.
    Nd.gemmInto(input, w, preOut, false, false);
    float[] z = Nd.readC(preOut, probabilities);
    probabilities = z;
    bias = Nd.readC(b, bias);
    labelsC = Nd.readC(labels, labelsC);
    double eps = ((LossMCXENT) layerConf().getLossFn()).getSoftmaxClipEps();
    double sum = 0;
    for (int i = 0; i < m; i++) {
      int row = i * nOut;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < nOut; j++) {
        float v = z[row + j] + bias[j];
        z[row + j] = v;
        max = Math.max(max, v);
      }
      float total = 0;
      for (int j = 0; j < nOut; j++) {
        float e = (float) Math.exp(z[row + j] - max);
        z[row + j] = e;
        total += e;
      }
      for (int j = 0; j < nOut; j++) {
        float p = z[row + j] / total;
        z[row + j] = p;
        float y = labelsC[row + j];
        deltaC[row + j] = p - y;
        if (y != 0) {
          double clipped = eps > 0 ? Math.min(Math.max(p, eps), 1 - eps) : p;
          sum += y * Math.log(clipped);
        }
      }
    }
    Nd.write(delta, deltaC, 0, m * nOut);

    Gradient gradient = new DefaultGradient();
    INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
    Nd.gemmInto(input, delta, weightGrad, true, false);
    gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
    INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
    float[] columns = new float[nOut];
    for (int i = 0; i < m; i++) {
      int row = i * nOut;
      for (int j = 0; j < nOut; j++) {
        columns[j] += deltaC[row + j];
      }
    }
    Nd.writeF(biasGrad, columns, nOut);
    gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);

    INDArray epsilonNext =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {nIn, m}, 'f');
    Nd4j.gemm(w, delta, epsilonNext, false, true, 1.0, 0.0);

    keyInput = Nd.readC(input, keyInput);
    keyWeights = Nd.readF(w, keyWeights);
    keyBias = Arrays.copyOf(bias, nOut);
    keyLabels = Arrays.copyOf(labelsC, m * nOut);
    scoreSum = -sum;
    scoreKept = true;
    return new Pair<>(gradient, epsilonNext.transpose());
  }

  @Override
  public double computeScore(
      double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!scoreKept || !fastPath() || !sameAsKept()) {
      return super.computeScore(fullNetRegTerm, training, workspaceMgr);
    }
    double s = scoreSum;
    if (conf().isMiniBatch()) {
      s /= getInputMiniBatchSize();
    }
    s += fullNetRegTerm;
    this.score = s;
    return s;
  }

  /** The input, labels and parameters are bit for bit those of the kept score. */
  private boolean sameAsKept() {
    return sameBits(keyInput, input, 'c')
        && sameBits(keyLabels, labels, 'c')
        && sameBits(keyWeights, getParam(DefaultParamInitializer.WEIGHT_KEY), 'f')
        && sameBits(keyBias, getParam(DefaultParamInitializer.BIAS_KEY), 'c');
  }

  private float[] scratch;

  private boolean sameBits(float[] kept, INDArray now, char order) {
    if (kept == null || now.length() != kept.length) {
      return false;
    }
    scratch = order == 'c' ? Nd.readC(now, scratch) : Nd.readF(now, scratch);
    for (int i = 0; i < kept.length; i++) {
      if (Float.floatToRawIntBits(kept[i]) != Float.floatToRawIntBits(scratch[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    scoreKept = false;
    super.setInput(input, workspaceMgr);
  }

  @Override
  public void setLabels(INDArray labels) {
    scoreKept = false;
    super.setLabels(labels);
  }

  private void ensureBuffers(int m, int nOut) {
    if (preOut == null || preOut.size(0) != m || preOut.size(1) != nOut) {
      try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        preOut = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, nOut}, 'c');
        delta = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, nOut}, 'c');
      }
      deltaC = new float[m * nOut];
    }
  }
}
