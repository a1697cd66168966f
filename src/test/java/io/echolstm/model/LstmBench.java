package io.echolstm.model;

import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Micro-benchmark, not a test: {@code MultiLayerNetwork.fit(DataSet)} per iteration for DL4J's LSTM
 * and the fast one, same process, alternating rounds, warm-up excluded. Run single-threaded:
 *
 * <pre>
 * OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -cp target/test-classes:target/classes:$CP \
 *     io.echolstm.model.LstmBench [seconds-per-measurement] [batch...]
 * </pre>
 */
public final class LstmBench {
  private static final int VALUES = 100;
  private static final int HIDDEN = 50;
  private static final int WINDOW = 5;

  private LstmBench() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    int[] batches =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {32, 128, 256};
    System.out.printf(
        Locale.ROOT,
        "OMP_NUM_THREADS=%s, window %d, hidden %d, values %d, %.1f s per measurement%n",
        System.getenv("OMP_NUM_THREADS"),
        WINDOW,
        HIDDEN,
        VALUES,
        seconds);
    for (int batch : batches) {
      run("one-hot", batch, true, seconds);
    }
    run("dense  ", 128, false, seconds);
  }

  private static void run(String label, int batch, boolean oneHot, double seconds) {
    Random rnd = new Random(batch);
    List<DataSet> data = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      data.add(dataSet(rnd, batch, oneHot));
    }
    MultiLayerNetwork dl4j = net(LstmImplementation.DL4J);
    MultiLayerNetwork fast = net(LstmImplementation.FAST);
    fast.setParams(dl4j.params().dup());
    // Warm-up (JIT, workspaces), then short alternating rounds so both see the same machine load.
    time(dl4j, data, seconds);
    time(fast, data, seconds);
    int rounds = 11;
    double[] d = new double[rounds];
    double[] f = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      d[round] = time(dl4j, data, seconds / 4);
      f[round] = time(fast, data, seconds / 4);
    }
    Arrays.sort(d);
    Arrays.sort(f);
    double dMed = d[rounds / 2];
    double fMed = f[rounds / 2];
    System.out.printf(
        Locale.ROOT,
        "%s batch %3d: DL4J med %6.2f (min %6.2f) ms/it = %6.0f windows/s | FAST med %5.2f"
            + " (min %5.2f) ms/it = %6.0f windows/s | speed-up med x%.1f, min x%.1f%n",
        label,
        batch,
        dMed * 1e3,
        d[0] * 1e3,
        batch / dMed,
        fMed * 1e3,
        f[0] * 1e3,
        batch / fMed,
        dMed / fMed,
        d[0] / f[0]);
  }

  /** Mean seconds per fit over about {@code seconds} (at least 3 fits). */
  private static double time(MultiLayerNetwork net, List<DataSet> data, double seconds) {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    int it = 0;
    long now;
    do {
      net.fit(data.get(it % data.size()));
      it++;
      now = System.nanoTime();
    } while (now - start < budget || it < 3);
    return (now - start) / 1e9 / it;
  }

  private static MultiLayerNetwork net(LstmImplementation impl) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            NetworkFactory.build(Variant.STATELESS, VALUES, HIDDEN, 1e-3, 7, WINDOW, impl));
    net.init();
    return net;
  }

  private static DataSet dataSet(Random rnd, int batch, boolean oneHot) {
    INDArray f = Nd4j.zeros(DataType.FLOAT, batch, VALUES, WINDOW);
    INDArray l = Nd4j.zeros(DataType.FLOAT, batch, VALUES);
    for (int b = 0; b < batch; b++) {
      for (int s = 0; s < WINDOW; s++) {
        if (oneHot) {
          f.putScalar(new int[] {b, rnd.nextInt(VALUES), s}, 1.0);
        } else {
          for (int k = 0; k < VALUES; k++) {
            f.putScalar(new int[] {b, k, s}, rnd.nextGaussian());
          }
        }
      }
      l.putScalar(b, rnd.nextInt(VALUES), 1.0);
    }
    return new DataSet(f, l);
  }
}
