package io.echolstm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.codec.Inputs;
import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Variant;
import io.echolstm.model.NetworkFactory;
import io.echolstm.window.Frame;
import io.echolstm.window.Framing;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each metric {@link Scorer} counts, on frames small enough to score by hand. The network is a
 * stand-in ({@link EchoesItsInput}) whose predictions are known from its input: at each step it
 * gives the value input at that step probability {@link #HIT} and every other value {@link #MISS},
 * so a label is right exactly when it equals the input at its step, and costs {@code -ln 0.6} when
 * right and {@code -ln 0.1} when wrong.
 */
class ScorerTest {
  private static final int VALUES = 5;
  private static final double HIT = 0.6;
  private static final double MISS = (1 - HIT) / (VALUES - 1);
  private static final double RIGHT = -Math.log(HIT);
  private static final double WRONG = -Math.log(MISS);

  /** The frames of one sequence (id 0), as the sweep frames it. */
  private static List<Frame> frames(Variant variant, int window, int lag, int... sequence) {
    return Framing.frame(variant, 0, sequence, window, lag);
  }

  private static Metrics score(Variant variant, int window, List<Frame> frames, int batchSize) {
    return scorer(variant, window, HIT, batchSize).score(frames.iterator());
  }

  private static Scorer scorer(Variant variant, int window, double hit, int batchSize) {
    return new Scorer(
        new EchoesItsInput(variant, hit), new Inputs(variant, VALUES, window), batchSize);
  }

  private static void assertMetrics(Metrics expected, Metrics actual) {
    assertMetrics(expected, actual, 1e-6);
  }

  /** Every count equal, and the loss sums within {@code lossTolerance}. */
  static void assertMetrics(Metrics expected, Metrics actual, double lossTolerance) {
    assertEquals(expected.samples(), actual.samples(), "samples");
    assertEquals(expected.labels(), actual.labels(), "labels");
    assertEquals(expected.correct(), actual.correct(), "correct");
    assertEquals(expected.reachable(), actual.reachable(), "reachable");
    assertEquals(expected.reachableCorrect(), actual.reachableCorrect(), "reachable correct");
    assertEquals(expected.exactCandidates(), actual.exactCandidates(), "exact-match candidates");
    assertEquals(expected.exactMatches(), actual.exactMatches(), "exact matches");
    assertEquals(expected.lossSum(), actual.lossSum(), lossTolerance, "loss sum");
  }

  @Test
  void statelessCountsOneLabelPerWindow() {
    // Window 3, lag 1 over 0 1 2 3 3 1: windows ending at t = 2..5 with labels s[t-1] = 1 2 3 3;
    // the input at the last step is 2 3 3 1, so only the window ending at t = 4 is right.
    List<Frame> frames = frames(Variant.STATELESS, 3, 1, 0, 1, 2, 3, 3, 1);
    assertEquals(4, frames.size());
    Metrics m = score(Variant.STATELESS, 3, frames, 64);
    assertMetrics(new Metrics(4, 4, 1, RIGHT + 3 * WRONG, 4, 1, 4, 1), m);
    assertEquals(0.25, m.accuracy());
    assertEquals(0.25, m.reachableAccuracy());
    assertEquals(0.25, m.exactMatchAccuracy(), "one reachable label per window: the same ratio");
    assertEquals((RIGHT + 3 * WRONG) / 4, m.meanLoss(), 1e-6);
  }

  @Test
  void aLagBeyondTheWindowIsCountedButNeverReachable() {
    // Window 3, lag 3 over 2 0 1 2 3 2: windows ending at t = 3, 4, 5 with labels s[t-3] = 2 0 1
    // against last inputs 2 3 2: one right, by coincidence; none reachable.
    List<Frame> frames = frames(Variant.STATELESS, 3, 3, 2, 0, 1, 2, 3, 2);
    Metrics m = score(Variant.STATELESS, 3, frames, 64);
    assertMetrics(new Metrics(3, 3, 1, RIGHT + 2 * WRONG, 0, 0, 0, 0), m);
    assertEquals(1.0 / 3, m.accuracy());
    assertTrue(Double.isNaN(m.reachableAccuracy()), "no reachable label: no reachable accuracy");
    assertTrue(Double.isNaN(m.exactMatchAccuracy()), "no reachable label: no exact match");
  }

  @Test
  void maskedLeadingStepsAreFedAsMasked() {
    // Window 3, lag 1 over 4 4 0: the window at t = 1 is (masked, 4, 4) with label 4, right; the
    // one at t = 2 is (4, 4, 0) with label 4, wrong.
    List<Frame> frames = frames(Variant.MASKED, 3, 1, 4, 4, 0);
    assertArrayEquals(new int[] {Frame.MISSING, 4, 4}, frames.get(0).features());
    assertMetrics(
        new Metrics(2, 2, 1, RIGHT + WRONG, 2, 1, 2, 1), score(Variant.MASKED, 3, frames, 64));
  }

  @Test
  void aWholeSequenceIsReadAtItsLastUnmaskedStep() {
    // Lag 1 over 3 1 1 2, padded to 4 steps: (3 1 - -) label 3, (3 1 1 -) label 1, (3 1 1 2)
    // label 1. The prediction is the input at the last unmasked step (1, 1, 2): the middle one is
    // right. Read at the padded last step instead, the first two would be all-zero inputs.
    List<Frame> frames = frames(Variant.WHOLE_SEQUENCE, 1, 1, 3, 1, 1, 2);
    assertArrayEquals(new int[] {3, 1, Frame.MISSING, Frame.MISSING}, frames.get(0).features());
    assertMetrics(
        new Metrics(3, 3, 1, RIGHT + 2 * WRONG, 3, 1, 3, 1),
        score(Variant.WHOLE_SEQUENCE, 1, frames, 64));
  }

  @Test
  void seq2seqCountsEveryLabelledStepAndExactMatchOnlyTheReachableOnes() {
    // Window 3, lag 1 over 2 2 3 3 3. Each window's labels are its inputs shifted one step
    // (s[p-1] at position p); the first step's label lies before the window: unreachable.
    //   t=2: inputs 2 2 3, labels - 2 2 (the first precedes the sequence): right, wrong
    //   t=3: inputs 2 3 3, labels 2 2 3: right (unreachable), wrong, right
    //   t=4: inputs 3 3 3, labels 2 3 3: wrong (unreachable), right, right -> an exact match:
    //        every reachable label right, although one label of the window is wrong.
    List<Frame> frames = frames(Variant.SEQ2SEQ, 3, 1, 2, 2, 3, 3, 3);
    assertEquals(3, frames.size());
    Metrics m = score(Variant.SEQ2SEQ, 3, frames, 64);
    assertMetrics(new Metrics(3, 8, 5, 5 * RIGHT + 3 * WRONG, 6, 4, 3, 1), m);
    assertEquals(5.0 / 8, m.accuracy());
    assertEquals(4.0 / 6, m.reachableAccuracy());
    assertEquals(1.0 / 3, m.exactMatchAccuracy());
    assertEquals((5 * RIGHT + 3 * WRONG) / 8, m.meanLoss(), 1e-6, "per label, masked ones out");
  }

  @Test
  void aStatefulFrameCountsTheLabelOfEachWindow() {
    // Window 2, lag 1 over 3 3 1 4: one frame of the windows ending at t = 1, 2, 3, inputs
    // (3 3)(3 1)(1 4), plus the window-start marker; labels s[t-1] = 3 3 1 on each window's last
    // step, every other step masked. The last inputs 3 1 4: only the first window is right.
    List<Frame> frames = frames(Variant.STATEFUL, 2, 1, 3, 3, 1, 4);
    assertEquals(1, frames.size());
    assertArrayEquals(
        new int[] {Frame.MISSING, 3, Frame.MISSING, 3, Frame.MISSING, 1}, frames.get(0).labels());
    assertMetrics(
        new Metrics(1, 3, 1, RIGHT + 2 * WRONG, 3, 1, 1, 0), score(Variant.STATEFUL, 2, frames, 1));
  }

  @Test
  void batchingDoesNotChangeTheTotals() {
    List<Frame> frames = frames(Variant.SEQ2SEQ, 3, 1, 2, 2, 3, 3, 3, 0, 1, 1);
    Metrics whole = score(Variant.SEQ2SEQ, 3, frames, 64);
    for (int batch : new int[] {1, 2, 4}) {
      assertMetrics(whole, score(Variant.SEQ2SEQ, 3, frames, batch));
    }
  }

  @Test
  void aUniformPredictionScoresTheChanceLoss() {
    // A network that has learned nothing: every value 1/5 everywhere, so the loss per label is
    // ln 5 whatever the labels, the chance level a control's loss should show.
    List<Frame> frames = frames(Variant.SEQ2SEQ, 3, 1, 2, 2, 3, 3, 3, 0, 1, 1);
    Metrics m = scorer(Variant.SEQ2SEQ, 3, 1.0 / VALUES, 64).score(frames.iterator());
    assertEquals(Math.log(VALUES), m.meanLoss(), 1e-6);
  }

  @Test
  void aConfidentMissCostsTheFlooredLogNotInfinity() {
    // All probability on the input value: a wrong label has probability 0, floored.
    List<Frame> frames = frames(Variant.STATELESS, 3, 1, 0, 1, 2);
    Metrics m = scorer(Variant.STATELESS, 3, 1.0, 64).score(frames.iterator());
    assertEquals(0, m.correct());
    assertEquals(-Math.log(Scorer.MIN_PROBABILITY), m.meanLoss(), 1e-6);
  }

  @Test
  void expectedAndPredictedShowTheLastLabelOfEachFrameOrEveryLabelOfOne() {
    List<Frame> stateless = frames(Variant.STATELESS, 3, 1, 0, 1, 2, 3, 3, 1);
    int[][] lines = scorer(Variant.STATELESS, 3, HIT, 64).expectedAndPredicted(stateless);
    assertArrayEquals(new int[] {1, 2, 3, 3}, lines[0]);
    assertArrayEquals(new int[] {2, 3, 3, 1}, lines[1]);

    List<Frame> stateful = frames(Variant.STATEFUL, 2, 1, 3, 3, 1, 4);
    lines = scorer(Variant.STATEFUL, 2, HIT, 64).expectedAndPredicted(stateful);
    assertArrayEquals(new int[] {3, 3, 1}, lines[0]);
    assertArrayEquals(new int[] {3, 1, 4}, lines[1]);
  }

  /**
   * A network stand-in: at each step, probability {@code hit} on the value one-hot encoded in the
   * step's input (its first {@link #VALUES} features; a window-start marker after them is ignored)
   * and the rest spread evenly; an all-zero (masked) input step gets a uniform distribution.
   * Last-step variants output the distribution of the last step the feature mask keeps (the last
   * step when there is no mask), as DL4J's {@code LastTimeStep} does.
   */
  @SuppressWarnings("overrides") // MultiLayerNetwork's own doEvaluation signature, not this class
  private static final class EchoesItsInput extends MultiLayerNetwork {
    private final boolean perStep;
    private final double hit;

    EchoesItsInput(Variant variant, double hit) {
      super(NetworkFactory.build(variant, VALUES, 2, 0.1, 1, 1, LstmImplementation.DL4J));
      this.perStep = variant.perStepOutput();
      this.hit = hit;
    }

    @Override
    public INDArray output(
        INDArray input, boolean train, INDArray featuresMask, INDArray labelsMask) {
      int n = (int) input.size(0);
      int steps = (int) input.size(2);
      INDArray out =
          perStep
              ? Nd4j.zeros(DataType.DOUBLE, n, VALUES, steps)
              : Nd4j.zeros(DataType.DOUBLE, n, VALUES);
      for (int i = 0; i < n; i++) {
        if (perStep) {
          for (int t = 0; t < steps; t++) {
            double[] p = distribution(input, i, t);
            for (int v = 0; v < VALUES; v++) {
              out.putScalar(new long[] {i, v, t}, p[v]);
            }
          }
        } else {
          int last = steps - 1;
          while (featuresMask != null && last > 0 && featuresMask.getDouble(i, last) == 0) {
            last--;
          }
          double[] p = distribution(input, i, last);
          for (int v = 0; v < VALUES; v++) {
            out.putScalar(new long[] {i, v}, p[v]);
          }
        }
      }
      return out;
    }

    private double[] distribution(INDArray input, int i, int t) {
      double[] p = new double[VALUES];
      int value = -1;
      for (int v = 0; v < VALUES; v++) {
        if (input.getDouble(i, v, t) == 1) {
          value = v;
        }
      }
      for (int v = 0; v < VALUES; v++) {
        p[v] = value < 0 ? 1.0 / VALUES : v == value ? hit : (1 - hit) / (VALUES - 1);
      }
      return p;
    }
  }
}
