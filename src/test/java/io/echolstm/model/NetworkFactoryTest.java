package io.echolstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echolstm.codec.OneHot;
import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Variant;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class NetworkFactoryTest {

  /** The tutorial's network: stateless windows of one step, DL4J's LSTM layer. */
  private static MultiLayerConfiguration stateless(
      int values, int hidden, double learningRate, long seed) {
    return NetworkFactory.build(
        Variant.STATELESS, values, hidden, learningRate, seed, 1, LstmImplementation.DL4J);
  }

  @Test
  void outputIsOneDistributionPerWindow() {
    MultiLayerNetwork net = new MultiLayerNetwork(stateless(10, 7, 0.01, 1));
    net.init();
    INDArray out = net.output(OneHot.windows(new int[][] {{1, 2, 3}, {4, 5, 6}}, 10));
    assertArrayEquals(new long[] {2, 10}, out.shape());
    assertEquals(1.0, out.getRow(0).sumNumber().doubleValue(), 1e-5);
    // LSTM 10->7: 4*7*(10+7) + 4*7 bias; softmax 7->10: 7*10 + 10.
    assertEquals(4 * 7 * (10 + 7) + 4 * 7 + 7 * 10 + 10, net.numParams());
  }

  @Test
  void configurationSurvivesAJsonRoundTrip() {
    MultiLayerConfiguration conf = stateless(100, 50, 0.02, 5);
    assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
  }

  @Test
  void sameSeedSameInitialParameters() {
    MultiLayerNetwork a = new MultiLayerNetwork(stateless(10, 5, 0.01, 3));
    MultiLayerNetwork b = new MultiLayerNetwork(stateless(10, 5, 0.01, 3));
    a.init();
    b.init();
    assertEquals(a.params(), b.params());
  }

  @Test
  void aStatefulWindowReadsTheWindowStartMarker() {
    // LSTM parameters 4h(nIn + h) + 4h: nIn is values + 1 for stateful windows of several steps,
    // values for windows of one step and for every other variant.
    for (int window : new int[] {1, 3}) {
      for (Variant v : Variant.values()) {
        MultiLayerNetwork net =
            new MultiLayerNetwork(
                NetworkFactory.build(v, 10, 7, 0.01, 1, window, LstmImplementation.FAST));
        net.init();
        int nIn = v == Variant.STATEFUL && window > 1 ? 11 : 10;
        assertEquals(nIn, net.layerInputSize(0), v + " window " + window);
        assertEquals(4 * 7 * (nIn + 7) + 4 * 7, net.getLayer(0).numParams(), v + " " + window);
      }
    }
  }

  @Test
  void badSizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> stateless(1, 5, 0.01, 1));
    assertThrows(IllegalArgumentException.class, () -> stateless(10, 0, 0.01, 1));
  }
}
