package io.echolstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Variant;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** Networks kept between tasks: built once per key, their state set exactly, freed on release. */
class ResidentNetworksTest {
  private static final MultiLayerConfiguration CONF =
      NetworkFactory.build(Variant.STATELESS, 10, 6, 0.01, 3, 2, LstmImplementation.FAST);

  private static float[] params(float offset) {
    MultiLayerNetwork net = new MultiLayerNetwork(CONF.clone());
    net.init();
    float[] p = net.params().toFloatVector();
    for (int i = 0; i < p.length; i++) {
      p[i] += offset;
    }
    return p;
  }

  @Test
  void aKeyKeepsItsNetworkUntilItsOwnerReleasesItThenItsArraysAreFreed() {
    float[] p = params(0);
    MultiLayerNetwork first = ResidentNetworks.acquire("owner-a/0", CONF, p);
    MultiLayerNetwork other = ResidentNetworks.acquire("owner-b/0", CONF, p);
    assertSame(first, ResidentNetworks.acquire("owner-a/0", CONF, params(1)), "kept, not rebuilt");
    assertArrayEquals(p, first.params().toFloatVector(), "built from the given parameters");

    ResidentNetworks.release("owner-a");
    assertTrue(first.params().wasClosed(), "parameters freed at once");
    assertFalse(other.params().wasClosed(), "another owner's network is untouched");
    MultiLayerNetwork again = ResidentNetworks.acquire("owner-a/0", CONF, p);
    assertNotSame(first, again, "built again after its release");
    ResidentNetworks.release("owner-a");
    ResidentNetworks.release("owner-b");
    assertTrue(other.params().wasClosed());
  }

  @Test
  void aRowIsAnArrayOfItsOwnThatCanBeFreed() {
    try (var row = ResidentNetworks.row(new float[] {1, 2, 3})) {
      assertArrayEquals(new long[] {1, 3}, row.shape());
      assertArrayEquals(new float[] {1, 2, 3}, row.toFloatVector());
      assertTrue(row.closeable(), "not a view");
    }
  }

  @Test
  void setStateCopiesParametersUpdaterStateAndIterations() {
    MultiLayerNetwork net = new MultiLayerNetwork(CONF.clone());
    net.init();
    float[] p = params(0.5f);
    float[] updater = new float[(int) net.getUpdater().getStateViewArray().length()];
    for (int i = 0; i < updater.length; i++) {
      updater[i] = i * 1e-3f;
    }
    ResidentNetworks.setState(net, p, updater, 17);
    assertArrayEquals(p, net.params().toFloatVector());
    assertArrayEquals(updater, net.getUpdater().getStateViewArray().toFloatVector());
    assertEquals(17, net.getIterationCount());

    ResidentNetworks.setState(net, p, null, 18);
    assertEquals(0.0, net.getUpdater().getStateViewArray().sumNumber().doubleValue(), "zeroed");
  }
}
