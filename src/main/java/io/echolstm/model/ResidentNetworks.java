package io.echolstm.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Networks kept in one JVM (an executor, or the driver in local mode) between Spark tasks, by key
 * ({@code owner/partition}): a training worker's network across averaging rounds, an evaluator's
 * across evaluations. The tasks that use one set all of the state they depend on first, so dropping
 * one is always safe: the next task builds it again. Networks idle for {@link #IDLE_MINUTES}
 * minutes are dropped (an owner closed on the driver cannot reach a remote executor's JVM), and an
 * owner's are dropped at once in the JVM where it is closed.
 */
public final class ResidentNetworks {
  static final long IDLE_MINUTES = 2;

  private record Entry(MultiLayerNetwork network, long[] lastUsed) {}

  private static final Map<String, Entry> NETWORKS = new ConcurrentHashMap<>();

  private ResidentNetworks() {}

  /** The network of {@code key}, built from {@code conf} and {@code params} if it has none. */
  public static MultiLayerNetwork acquire(
      String key, MultiLayerConfiguration conf, float[] params) {
    long now = System.nanoTime();
    dropIdle(now);
    Entry entry =
        NETWORKS.computeIfAbsent(
            key,
            k -> {
              MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
              net.init(row(params), false);
              return new Entry(net, new long[] {now});
            });
    entry.lastUsed()[0] = now;
    return entry.network();
  }

  /** Drops the networks of keys starting with {@code owner + "/"}. */
  public static void release(String owner) {
    NETWORKS.keySet().removeIf(k -> k.startsWith(owner + "/"));
  }

  private static void dropIdle(long now) {
    long idle = TimeUnit.MINUTES.toNanos(IDLE_MINUTES);
    NETWORKS.values().removeIf(e -> now - e.lastUsed()[0] > idle);
  }

  /**
   * Sets {@code net}'s parameters, updater state (zeros when {@code updater} is null: a fresh
   * updater, as a worker that is not sent one starts) and iteration count.
   */
  public static void setState(
      MultiLayerNetwork net, float[] params, float[] updater, int iterations) {
    net.setParams(row(params));
    INDArray state = net.getUpdater().getStateViewArray();
    if (state != null) {
      if (updater == null) {
        state.assign(0);
      } else {
        net.getUpdater().setStateViewArray(net, row(updater), false);
      }
    }
    net.setIterationCount(iterations);
  }

  /** {@code values} as a {@code [1, n]} float array, as a network's flattened parameters are. */
  public static INDArray row(float[] values) {
    return Nd4j.createFromArray(values).reshape(1, values.length);
  }
}
