package io.echolstm.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
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
    // compute is atomic per key: an entry just marked used is never one dropIdle closes
    Entry entry =
        NETWORKS.compute(
            key,
            (k, e) -> {
              if (e == null) {
                MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
                try (INDArray initial = row(params)) {
                  net.init(initial, true);
                }
                e = new Entry(net, new long[1]);
              }
              e.lastUsed()[0] = now;
              return e;
            });
    return entry.network();
  }

  /**
   * Drops the networks of keys starting with {@code owner + "/"} and frees their native memory
   * (parameters, gradients, updater state, workspaces) at once.
   */
  public static void release(String owner) {
    for (Map.Entry<String, Entry> e : NETWORKS.entrySet()) {
      if (e.getKey().startsWith(owner + "/") && NETWORKS.remove(e.getKey(), e.getValue())) {
        close(e.getValue());
      }
    }
  }

  private static void dropIdle(long now) {
    long idle = TimeUnit.MINUTES.toNanos(IDLE_MINUTES);
    for (Map.Entry<String, Entry> e : NETWORKS.entrySet()) {
      if (now - e.getValue().lastUsed()[0] > idle && NETWORKS.remove(e.getKey(), e.getValue())) {
        close(e.getValue());
      }
    }
  }

  /** Frees a dropped network's native memory; a task still using it holds its lock. */
  private static void close(Entry e) {
    synchronized (e.network()) {
      free(e.network());
    }
  }

  /**
   * Frees {@code net}'s parameters, gradients, updater state and fast-layer buffers, which it must
   * not use again. ({@link MultiLayerNetwork#close} does too, but also runs {@code System.gc()} and
   * drops the calling thread's workspaces, which other networks on that thread still use.)
   */
  public static void free(MultiLayerNetwork net) {
    for (Layer layer : net.getLayers()) {
      while (layer instanceof BaseWrapperLayer wrapper) {
        layer = wrapper.getUnderlying(); // e.g. the LSTM inside LastTimeStep
      }
      if (layer instanceof FastLstmLayer fast) {
        fast.fastHelper().releaseBuffers();
      }
    }
    Updater updater = net.getUpdater(false);
    for (INDArray a :
        new INDArray[] {
          net.params(),
          net.getGradientsViewArray(),
          updater == null ? null : updater.getStateViewArray()
        }) {
      if (a != null && a.closeable()) {
        a.close();
      }
    }
  }

  /**
   * Sets {@code net}'s parameters, updater state (zeros when {@code updater} is null: a fresh
   * updater, as a worker that is not sent one starts) and iteration count.
   */
  public static void setState(
      MultiLayerNetwork net, float[] params, float[] updater, int iterations) {
    // The shipped values are copied into the network's own arrays; the temporary copies are
    // freed at once rather than left to the garbage collector (one pair per averaging round).
    try (INDArray p = row(params)) {
      net.setParams(p);
    }
    INDArray state = net.getUpdater().getStateViewArray();
    if (state != null) {
      if (updater == null) {
        state.assign(0);
      } else {
        try (INDArray u = row(updater)) {
          state.assign(u.reshape(state.shape()));
        }
      }
    }
    net.setIterationCount(iterations);
  }

  /**
   * {@code values} as a {@code [1, n]} float array, as a network's flattened parameters are: an
   * array of its own (not a view), which its user closes.
   */
  public static INDArray row(float[] values) {
    return Nd4j.create(new float[][] {values});
  }
}
