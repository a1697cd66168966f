package io.echolstm.eval;

import io.echolstm.codec.Inputs;
import io.echolstm.codec.OneHot;
import io.echolstm.window.Frame;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scores framed samples against a trained network in batches. No Spark. */
public final class Scorer {
  /** Probabilities are floored here before the log, so one confident miss cannot give infinity. */
  static final double MIN_PROBABILITY = 1e-10;

  private final MultiLayerNetwork network;
  private final Inputs inputs;
  private final int batchSize;

  public Scorer(MultiLayerNetwork network, Inputs inputs, int batchSize) {
    this.network = network;
    this.inputs = inputs;
    this.batchSize = batchSize;
  }

  /** Scores every frame the iterator yields. */
  public Metrics score(Iterator<Frame> frames) {
    Metrics total = Metrics.EMPTY;
    List<Frame> batch = new ArrayList<>(batchSize);
    while (frames.hasNext()) {
      batch.add(frames.next());
      if (batch.size() == batchSize) {
        total = total.plus(scoreBatch(batch));
        batch.clear();
      }
    }
    return batch.isEmpty() ? total : total.plus(scoreBatch(batch));
  }

  /**
   * Expected and predicted values for a few frames, as the tutorial prints them: the last labelled
   * step of each frame, or every labelled step when there is a single frame (stateful).
   */
  public int[][] expectedAndPredicted(List<Frame> frames) {
    List<Integer> expected = new ArrayList<>();
    List<Integer> predicted = new ArrayList<>();
    if (!frames.isEmpty()) {
      int[][] best = predictions(frames);
      for (int i = 0; i < frames.size(); i++) {
        int[] labels = frames.get(i).labels();
        for (int s = labels.length - 1; s >= 0; s--) {
          if (labels[s] == Frame.MISSING) {
            continue;
          }
          if (frames.size() == 1) {
            expected.add(0, labels[s]);
            predicted.add(0, best[i][s]);
          } else {
            expected.add(labels[s]);
            predicted.add(best[i][s]);
            break;
          }
        }
      }
    }
    return new int[][] {
      expected.stream().mapToInt(Integer::intValue).toArray(),
      predicted.stream().mapToInt(Integer::intValue).toArray()
    };
  }

  /**
   * The network's output for {@code frames} as one c-order Java array ({@code [n, values]}, or
   * {@code [n, values, steps]} for per-step variants); its native arrays are freed here.
   */
  private Output output(List<Frame> frames) {
    try (OneHot.Batch b = inputs.encode(frames)) {
      INDArray out = network.output(b.features(), false, b.featureMask(), b.labelMask());
      try {
        int values = Math.toIntExact(out.size(1));
        int steps = out.rank() == 3 ? Math.toIntExact(out.size(2)) : 1;
        return new Output(out.dup('c').reshape(out.length()).toDoubleVector(), values, steps);
      } finally {
        if (out.closeable()) {
          out.close();
        }
      }
    }
  }

  /** A batch's output probabilities, c order. */
  private record Output(double[] p, int values, int steps) {
    double at(int frame, int value, int step) {
      return p[(frame * values + value) * steps + step];
    }

    /** The most probable value (the first of equal ones, as ND4J's argMax). */
    int best(int frame, int step) {
      int best = 0;
      double top = at(frame, 0, step);
      for (int v = 1; v < values; v++) {
        double x = at(frame, v, step);
        if (x > top) {
          top = x;
          best = v;
        }
      }
      return best;
    }
  }

  /** Most probable value per frame and label step. */
  private int[][] predictions(List<Frame> frames) {
    Output out = output(frames);
    int[][] best = new int[frames.size()][];
    for (int i = 0; i < frames.size(); i++) {
      int steps = frames.get(i).labels().length;
      best[i] = new int[steps];
      for (int s = 0; s < steps; s++) {
        best[i][s] = out.best(i, inputs.variant().perStepOutput() ? s : 0);
      }
    }
    return best;
  }

  private Metrics scoreBatch(List<Frame> frames) {
    Output out = output(frames);
    boolean perStep = inputs.variant().perStepOutput();
    long labels = 0;
    long correct = 0;
    double loss = 0;
    long reachable = 0;
    long reachableCorrect = 0;
    long exactCandidates = 0;
    long exactMatches = 0;
    for (int i = 0; i < frames.size(); i++) {
      Frame f = frames.get(i);
      boolean anyReachable = false;
      boolean allReachableRight = true;
      for (int s = 0; s < f.labels().length; s++) {
        int label = f.labels()[s];
        if (label == Frame.MISSING) {
          continue;
        }
        int step = perStep ? s : 0;
        double p = out.at(i, label, step);
        boolean right = out.best(i, step) == label;
        labels++;
        correct += right ? 1 : 0;
        loss -= Math.log(Math.max(p, MIN_PROBABILITY));
        if (f.reachable()[s]) {
          anyReachable = true;
          reachable++;
          reachableCorrect += right ? 1 : 0;
          allReachableRight &= right;
        }
      }
      if (anyReachable) {
        exactCandidates++;
        exactMatches += allReachableRight ? 1 : 0;
      }
    }
    return new Metrics(
        frames.size(),
        labels,
        correct,
        loss,
        reachable,
        reachableCorrect,
        exactCandidates,
        exactMatches);
  }
}
