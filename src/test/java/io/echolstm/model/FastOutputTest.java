package io.echolstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The fused softmax output layer against DL4J's: the score, every gradient and the epsilon of a
 * training step, a few fit steps, the score kept only for the bits it was computed from, and the
 * cases it declines (DL4J's code, DL4J's results). {@link FastLstmTest} compares whole tutorial
 * networks, which use it too.
 */
class FastOutputTest {
  private static final int IN = 9;
  private static final int OUT = 13;
  private static final double RTOL = 1e-5;

  private static OutputLayer plain(boolean dropout, INDArray weights) {
    OutputLayer.Builder b =
        new OutputLayer.Builder(weights == null ? new LossMCXENT() : new LossMCXENT(weights))
            .nIn(IN)
            .nOut(OUT)
            .activation(Activation.SOFTMAX);
    if (dropout) {
      b.dropOut(new Dropout(0.8));
    }
    return b.build();
  }

  /** DL4J's network and the fast one, same initial parameters. */
  private static MultiLayerNetwork[] pair(boolean dropout, INDArray weights) {
    MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
    for (int i = 0; i < 2; i++) {
      OutputLayer layer = plain(dropout, weights);
      nets[i] =
          new MultiLayerNetwork(
              new NeuralNetConfiguration.Builder()
                  .seed(3)
                  .dataType(DataType.FLOAT)
                  .updater(new Adam(0.05))
                  .weightInit(WeightInit.XAVIER)
                  .list()
                  .layer(i == 0 ? layer : FastOutput.of(layer))
                  .build());
      nets[i].init();
    }
    nets[1].setParams(nets[0].params().dup());
    return nets;
  }

  private static INDArray input(Random rnd, int m) {
    INDArray x = Nd4j.create(DataType.FLOAT, m, IN);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < IN; j++) {
        x.putScalar(i, j, rnd.nextGaussian() * 2);
      }
    }
    return x;
  }

  private static INDArray labels(Random rnd, int m) {
    INDArray y = Nd4j.zeros(DataType.FLOAT, m, OUT);
    for (int i = 0; i < m; i++) {
      y.putScalar(i, rnd.nextInt(OUT), 1.0);
    }
    return y;
  }

  private static void assertClose(INDArray actual, INDArray expected, String what) {
    double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
    double off = actual.sub(expected).amaxNumber().doubleValue();
    assertTrue(off <= RTOL * scale, what + ": off by " + off + " (scale " + scale + ")");
  }

  private static Map<String, INDArray> copy(Gradient g) {
    Map<String, INDArray> out = new TreeMap<>();
    g.gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  /** Score, gradients and epsilon of one step, from DL4J's network and the fast one. */
  private static void assertSameStep(MultiLayerNetwork[] nets, INDArray x, INDArray y) {
    Pair<Gradient, INDArray> e = nets[0].calculateGradients(x, y, null, null);
    Map<String, INDArray> eg = copy(e.getFirst());
    INDArray eEps = e.getSecond().dup();
    Pair<Gradient, INDArray> a = nets[1].calculateGradients(x, y, null, null);
    for (String key : eg.keySet()) {
      assertClose(a.getFirst().getGradientFor(key), eg.get(key), "gradient " + key);
    }
    assertClose(a.getSecond(), eEps, "epsilon");
    double[] scores = new double[2];
    for (int i = 0; i < 2; i++) {
      nets[i].setInput(x);
      nets[i].setLabels(y);
      nets[i].computeGradientAndScore();
      scores[i] = nets[i].score();
    }
    assertEquals(scores[0], scores[1], 1e-6 * Math.abs(scores[0]), "score");
    assertClose(nets[1].output(x), nets[0].output(x), "output");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 128})
  void aTrainingStepMatchesDl4jAndTakesTheFastPath(int m) {
    Random rnd = new Random(m);
    MultiLayerNetwork[] nets = pair(false, null);
    INDArray x = input(rnd, m);
    INDArray y = labels(rnd, m);
    assertSameStep(nets, x, y);
    FastOutputLayer layer = assertInstanceOf(FastOutputLayer.class, nets[1].getLayer(0));
    // The layer as fit() leaves it before backprop: its input and labels set.
    layer.setInput(x, noWorkspaces());
    layer.setLabels(y);
    assertTrue(layer.fastPath(), "the fitted configuration runs the fused code");
  }

  @Test
  void fittingGivesTheSameParameters() {
    Random rnd = new Random(4);
    MultiLayerNetwork[] nets = pair(false, null);
    for (int step = 0; step < 8; step++) {
      INDArray x = input(rnd, 32);
      INDArray y = labels(rnd, 32);
      nets[0].fit(x, y);
      nets[1].fit(x.dup(), y.dup());
      assertEquals(nets[0].score(), nets[1].score(), 1e-5 * Math.abs(nets[0].score()), "score");
    }
    assertClose(nets[1].params(), nets[0].params(), "parameters after 8 fit steps");
  }

  /**
   * The score kept from the last backprop is used only for the same input, labels and parameters:
   * parameters changed in place (as the updater changes them) give DL4J's score for the new ones.
   */
  @Test
  void theKeptScoreIsUsedOnlyForTheBitsItCameFrom() {
    Random rnd = new Random(5);
    MultiLayerNetwork[] nets = pair(false, null);
    INDArray x = input(rnd, 16);
    INDArray y = labels(rnd, 16);
    for (MultiLayerNetwork net : nets) {
      net.setInput(x);
      net.setLabels(y);
      net.computeGradientAndScore();
      net.params().muli(1.5);
    }
    double[] scores = new double[2];
    for (int i = 0; i < 2; i++) {
      scores[i] =
          ((org.deeplearning4j.nn.api.layers.IOutputLayer) nets[i].getOutputLayer())
              .computeScore(0, true, noWorkspaces());
    }
    assertEquals(scores[0], scores[1], 1e-6 * Math.abs(scores[0]), "score after a change");
    assertTrue(Math.abs(scores[0] - nets[0].score()) > 1e-3, "the change moved the score");
  }

  @Test
  void dropoutAndLossWeightsAreDeclinedWithDl4jsResults() {
    Random rnd = new Random(6);
    INDArray x = input(rnd, 11);
    INDArray y = labels(rnd, 11);
    MultiLayerNetwork[] weighted = pair(false, Nd4j.linspace(1.0, 2.0, OUT, DataType.FLOAT));
    assertSameStep(weighted, x, y);
    FastOutputLayer layer = (FastOutputLayer) weighted[1].getLayer(0);
    assertFalse(layer.fastPath(), "loss weights");
    MultiLayerNetwork[] dropped = pair(true, null);
    Nd4j.getRandom().setSeed(9);
    Pair<Gradient, INDArray> e = dropped[0].calculateGradients(x, y, null, null);
    Map<String, INDArray> eg = copy(e.getFirst());
    Nd4j.getRandom().setSeed(9);
    Pair<Gradient, INDArray> a = dropped[1].calculateGradients(x, y, null, null);
    for (String key : eg.keySet()) {
      assertClose(a.getFirst().getGradientFor(key), eg.get(key), "dropout gradient " + key);
    }
    assertFalse(((FastOutputLayer) dropped[1].getLayer(0)).fastPath(), "dropout");
  }

  @Test
  void aPerExampleLabelMaskIsDeclinedWithDl4jsResults() {
    Random rnd = new Random(7);
    INDArray x = input(rnd, 10);
    INDArray y = labels(rnd, 10);
    INDArray mask = Nd4j.ones(DataType.FLOAT, 10, 1);
    mask.putScalar(3, 0, 0.0);
    mask.putScalar(7, 0, 0.0);
    MultiLayerNetwork[] nets = pair(false, null);
    Pair<Gradient, INDArray> e = nets[0].calculateGradients(x, y, null, mask);
    Map<String, INDArray> eg = copy(e.getFirst());
    Pair<Gradient, INDArray> a = nets[1].calculateGradients(x, y, null, mask);
    for (String key : eg.keySet()) {
      assertClose(a.getFirst().getGradientFor(key), eg.get(key), "masked gradient " + key);
    }
  }

  @Test
  void theConfigurationRoundTripsThroughJson() {
    OutputLayer layer = FastOutput.of(plain(false, null));
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(layer)
                .build());
    String json = net.getLayerWiseConfigurations().toJson();
    var back = org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(json);
    assertInstanceOf(FastOutput.class, back.getConf(0).getLayer());
    assertEquals(net.getLayerWiseConfigurations(), back);
  }

  private static org.deeplearning4j.nn.workspace.LayerWorkspaceMgr noWorkspaces() {
    return org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
  }
}
