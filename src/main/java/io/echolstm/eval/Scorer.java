package io.echolstm.eval;

import io.echolstm.train.OneHot;
import java.util.Iterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scores windows against a trained network in batches. No Spark. */
public final class Scorer {
  /** Probabilities are floored here before the log, so one confident miss cannot give infinity. */
  static final double MIN_PROBABILITY = 1e-10;

  private final MultiLayerNetwork network;
  private final int values;
  private final int batchSize;

  public Scorer(MultiLayerNetwork network, int values, int batchSize) {
    this.network = network;
    this.values = values;
    this.batchSize = batchSize;
  }

  /** One window and its label. */
  public record Window(int[] features, int label) {}

  /** Scores every window the iterator yields. */
  public Metrics score(Iterator<Window> windows) {
    Metrics total = Metrics.EMPTY;
    int[][] features = new int[batchSize][];
    int[] labels = new int[batchSize];
    int n = 0;
    while (windows.hasNext()) {
      Window w = windows.next();
      features[n] = w.features();
      labels[n] = w.label();
      if (++n == batchSize) {
        total = total.plus(scoreBatch(features, labels, n));
        n = 0;
      }
    }
    return n == 0 ? total : total.plus(scoreBatch(features, labels, n));
  }

  /** The most probable value for each window. */
  public int[] predict(int[][] features) {
    return OneHot.decode(network.output(OneHot.windows(features, values), false));
  }

  private Metrics scoreBatch(int[][] features, int[] labels, int n) {
    int[][] batch = new int[n][];
    System.arraycopy(features, 0, batch, 0, n);
    INDArray probabilities = network.output(OneHot.windows(batch, values), false);
    int[] predicted = OneHot.decode(probabilities);
    long correct = 0;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      if (predicted[i] == labels[i]) {
        correct++;
      }
      loss -= Math.log(Math.max(probabilities.getDouble(i, labels[i]), MIN_PROBABILITY));
    }
    return new Metrics(n, correct, loss);
  }
}
