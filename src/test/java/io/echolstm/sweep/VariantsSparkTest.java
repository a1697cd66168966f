package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import io.echolstm.results.ResultsTable;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains one small case of each variant through the real sweep runner (Spark sequences and windows,
 * parameter averaging, distributed evaluation, Parquet row) and checks the outcome the README
 * documents for it.
 */
class VariantsSparkTest extends SparkTestSession {
  @TempDir static Path dir;

  // Each case's settings, on top of the small problem of train(); VariantsSpread trains the same
  // with other seeds.
  static final String[] MASKED = {
    "sweep.variants=masked",
    "sweep.windows=3",
    "sweep.lags=1,3",
    "train.epochs=8",
    "train.target-accuracy=0.99"
  };
  static final String[] SEQ2SEQ = {"sweep.variants=seq2seq", "sweep.windows=4", "sweep.lags=1"};
  static final String[] WHOLE_SEQUENCE = {
    "sweep.variants=whole-sequence",
    "sweep.windows=1",
    "sweep.lags=2",
    "train.epochs=10",
    "train.target-accuracy=0.95"
  };
  static final String[] STATEFUL = {
    "sweep.variants=stateful",
    "sweep.windows=1,3",
    "sweep.lags=0,1,2",
    "train.epochs=12",
    "train.patience=0"
  };

  private static List<Row> train(String runId, String... sets) {
    return train(dir.resolve("results"), runId, sets);
  }

  /**
   * Trains the points of {@code sets} on a small problem (10 values, sequences of 10; 400 training
   * and 50 test sequences) into the table at {@code results}; returns the run's rows by lag.
   */
  static List<Row> train(Path results, String runId, String... sets) {
    ConfigLoader loader =
        new ConfigLoader()
            .set("data.values=10")
            .set("data.sequence-length=10")
            .set("data.train-sequences=400")
            .set("data.eval-sequences=50")
            .set("data.partitions=2")
            .set("model.hidden=16")
            // Pinned, like every other setting here, so the expected outcomes below do not move
            // with the defaults: two workers averaging every 5 minibatches.
            .set("train.averaging-frequency=5")
            .set("train.batch-size=32")
            .set("train.epochs=4")
            .set("train.learning-rate=0.05");
    for (String s : sets) {
      loader.set(s);
    }
    ResultsTable table = new ResultsTable(spark, results.toString());
    GuardedRun.run(spark, table, runId, SweepPlan.expand(loader.load(List.of())));
    return table.run(runId).orderBy("lag").collectAsList();
  }

  private static double d(Row r, String column) {
    return r.<Double>getAs(column);
  }

  private static long n(Row r, String column) {
    return r.<Long>getAs(column);
  }

  /*
   * Where the bounds below come from. Every bound is one of:
   * - chance: integers are uniform over 10 values, so a label the network cannot see is right with
   *   probability exactly 1/10 whatever it predicts; a control's accuracy is that, give or take
   *   the sampling noise of its test labels;
   * - the published outcome: the tutorial learns a lag inside the window to (near) 100 %;
   * - a definition: counts from the framing, the stop rule's target, the union bound;
   * - the spread of replicated runs where no principle gives a number (the stateful trace): each
   *   case trained with seeds 42 (the tests' own) and 1-8 (VariantsSpread); the spread is quoted
   *   where it is used.
   * Sampling noise is four standard deviations of a proportion over the labels counted (a chance
   * of about 1 in 16,000 that an honest result falls outside).
   */

  /** Values of the small problem; chance accuracy is 1 / VALUES. */
  private static final int VALUES = 10;

  private static final double CHANCE = 1.0 / VALUES;

  /** Test sequences (data.eval-sequences) and validation sequences (the default). */
  private static final int TEST_SEQUENCES = 50;

  private static final int VALIDATION_SEQUENCES = 200;

  /** Four standard deviations of a proportion {@code p} measured over {@code n} labels. */
  private static double noise(double p, long n) {
    return 4 * Math.sqrt(p * (1 - p) / n);
  }

  /**
   * Four standard deviations of the difference between a proportion {@code p} measured over two
   * independent samples of {@code n1} and {@code n2} labels (validation and test streams).
   */
  private static double noise(double p, long n1, long n2) {
    return 4 * Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
  }

  /** Accuracy at chance, give or take the sampling noise of {@code labels} labels. */
  private static void assertAtChance(double accuracy, long labels, String what) {
    assertTrue(
        Math.abs(accuracy - CHANCE) <= noise(CHANCE, labels),
        what + ": " + accuracy + " is chance " + CHANCE + " +- " + noise(CHANCE, labels));
  }

  @Test
  void maskedReachesTheLabelOnEveryRowThatHasOne() {
    List<Row> rows = train("masked", MASKED);
    Row inWindow = rows.get(0);
    // Rows with short history are kept (position 1: one masked step): 10 - lag rows per
    // sequence instead of 10 - (window - 1), one label each, and they are learned too.
    assertEquals(TEST_SEQUENCES * (10L - 1), n(inWindow, "eval_windows"));
    assertEquals(TEST_SEQUENCES * (10L - 1), n(inWindow, "eval_labels"));
    assertEquals(CHANCE, d(inWindow, "chance_accuracy"));
    // Published outcome: a lag inside the window is learned; the run stops at its 0.99 target on
    // the validation stream (all nine replicated runs did, in their second of 8 epochs).
    assertEquals("target", inWindow.getAs("stop_reason"));
    assertTrue(d(inWindow, "validation_accuracy") >= 0.99, inWindow.toString());
    // The test stream is another sample: the target less the noise of the difference between
    // 450 test and 1,800 validation labels (0.969; replicated runs 0.991-1.000).
    assertTrue(
        d(inWindow, "reachable_accuracy")
            >= 0.99 - noise(0.99, n(inWindow, "eval_labels"), VALIDATION_SEQUENCES * (10L - 1)),
        inWindow.toString());
    Row control = rows.get(1);
    assertTrue(control.<Boolean>getAs("control"));
    assertNull(control.getAs("reachable_accuracy"));
    assertEquals(TEST_SEQUENCES * (10L - 3), n(control, "eval_labels"));
    // Chance, 0.1 +- 0.064 over 350 labels (replicated runs 0.074-0.114).
    assertAtChance(d(control, "accuracy"), n(control, "eval_labels"), "lag 3 of window 3");
  }

  @Test
  void seq2seqEchoesTheLaggedSequenceInsideTheWindow() {
    List<Row> rows = train("seq2seq", SEQ2SEQ);
    Row r = rows.get(0);
    // Windows end at t = 3..9: 7 per sequence. Each labels its 4 steps with s[p-1]; the first
    // window's first label precedes the sequence: 3 + 6 x 4 = 27 labels per sequence, of which
    // the steps 1..3 of every window are reachable (21) and the first steps (6) are not.
    assertEquals(TEST_SEQUENCES * 7L, n(r, "eval_windows"));
    assertEquals(TEST_SEQUENCES * 27L, n(r, "eval_labels"));
    long reachable = TEST_SEQUENCES * 21L;
    long unreachable = TEST_SEQUENCES * 6L;
    // Published outcome (a lag inside the window: near 100 %), allowing 1 label in 100 wrong;
    // every replicated run scored 1.0.
    double reachableAccuracy = d(r, "reachable_accuracy");
    assertTrue(reachableAccuracy >= 0.99, r.toString());
    // Union bound: a window that is not an exact match has at least one of its 3 reachable labels
    // wrong, so exact >= 1 - 3 (1 - reachable): >= 0.97 here (every replicated run: 1.0).
    double exact = d(r, "exact_match_accuracy");
    assertTrue(exact >= 1 - 3 * (1 - reachableAccuracy) - 1e-12, r.toString());
    assertTrue(exact >= 1 - 3 * (1 - 0.99), r.toString());
    // The unreachable first steps are at chance: 0.1 +- 0.069 over 300 labels. Overall accuracy is
    // then about (1050 + 30) / 1350 = 0.80 (replicated runs 0.790-0.807).
    double unreachableCorrect =
        d(r, "accuracy") * n(r, "eval_labels") - reachableAccuracy * reachable;
    assertAtChance(unreachableCorrect / unreachable, unreachable, "the first steps' labels");
  }

  @Test
  void wholeSequenceReachesLagsBeyondAnyWindow() {
    List<Row> rows = train("whole", WHOLE_SEQUENCE);
    Row r = rows.get(0);
    assertFalse(r.<Boolean>getAs("control"));
    // Positions 2..9 of each sequence, one label each.
    assertEquals(TEST_SEQUENCES * 8L, n(r, "eval_windows"));
    assertEquals(TEST_SEQUENCES * 8L, n(r, "eval_labels"));
    // The stop rule's target on the validation stream (replicated runs reached it after 6 to 9
    // of their 10 epochs).
    assertEquals("target", r.getAs("stop_reason"));
    assertTrue(d(r, "validation_accuracy") >= 0.95, r.toString());
    assertTrue(r.<Integer>getAs("epochs") < 10, "stopped at the target: " + r);
    // The reported test accuracy comes from other sequences: the target less the noise of the
    // difference between 400 test and 1,600 validation labels (0.901; replicated 0.935-0.983).
    assertTrue(
        d(r, "accuracy") >= 0.95 - noise(0.95, n(r, "eval_labels"), VALIDATION_SEQUENCES * 8L),
        r.toString());
    long toTarget = r.<Long>getAs("windows_to_target");
    List<Row> history = r.getList(r.fieldIndex("history"));
    assertEquals(toTarget, (long) history.get(history.size() - 1).<Long>getAs("train_windows"));
    // A learning curve: the first evaluation (replicated 0.43-0.47) below the last.
    assertTrue(d(history.get(0), "accuracy") < d(r, "accuracy"), "a learning curve: " + history);
  }

  @Test
  void statefulCarriesStateFromWindowToWindow() {
    List<Row> rows = train("stateful", STATEFUL);
    // 10 windows per sequence of 10 (window 1) or 8 (window 3); only windows ending at t >= lag
    // carry a label and count as training (and test) windows.
    for (int lag = 0; lag <= 2; lag++) {
      assertEquals(400L * 8, n(find(rows, 3, lag), "train_windows"));
      assertEquals(400L * (10 - lag), n(find(rows, 1, lag), "train_windows"));
      assertEquals(TEST_SEQUENCES * 8L, n(find(rows, 3, lag), "eval_windows"));
      assertEquals(TEST_SEQUENCES * (10L - lag), n(find(rows, 1, lag), "eval_windows"));
    }
    for (Row r : rows) {
      // The carried state has seen every label's value: no stateful point is a control.
      assertFalse(r.<Boolean>getAs("control"), r.toString());
      assertEquals(d(r, "accuracy"), d(r, "reachable_accuracy"), 1e-12, r.toString());
      // A stateful frame is a whole sequence: its windows are its labels.
      assertEquals(n(r, "eval_labels"), n(r, "eval_windows"), r.toString());
      assertEquals(CHANCE, d(r, "chance_accuracy"), r.toString());
    }
    // Published outcome: every lag inside the window is learned, the oldest value of the window
    // (lag 2) included, allowing 1 label in 100 wrong (every replicated run: 1.00 at all four).
    // The window-start marker tells the network where a window begins, which the carried state
    // hides (without the marker lag 2 reached 0.52 after these epochs).
    for (Row inWindow :
        List.of(find(rows, 3, 0), find(rows, 3, 1), find(rows, 3, 2), find(rows, 1, 0))) {
      double learned = d(inWindow, "accuracy");
      assertTrue(learned >= 0.99 && learned <= 1.0, inWindow.toString());
    }
    // The beginner's mistake with state (window 1, lag 1): the previous value went through the
    // carried state, but truncated gradients cannot teach the LSTM to store it for the next
    // window; what the output reads is the trace the input leaves anyway. Above chance: more than
    // 0.1 + 0.057 (the noise over 450 labels). Far from learned: nine replicated runs gave mean
    // 0.357, sd 0.046 (0.293-0.447); the bound is that mean plus four sd.
    Row mistake = find(rows, 1, 1);
    double trace = d(mistake, "accuracy");
    assertTrue(trace > CHANCE + noise(CHANCE, n(mistake, "eval_labels")), mistake.toString());
    assertTrue(trace <= 0.357 + 4 * 0.046, mistake.toString());
    // Informative probabilities: below ln 10, the loss of a network that knows nothing of the
    // label (replicated 1.70-2.08).
    assertTrue(d(mistake, "loss") < Math.log(VALUES), mistake.toString());
    // Lag 2 from window 1: a trace too. Fainter on average (replicated mean 0.286, sd 0.031,
    // 0.233-0.338) but not in every run (seed 8: 0.338 against 0.293 at lag 1), so the two are
    // not compared; above chance (0.1 + 0.06 over 400 labels), below the mean plus four sd.
    Row lag2Window1 = find(rows, 1, 2);
    double fainter = d(lag2Window1, "accuracy");
    assertTrue(
        fainter > CHANCE + noise(CHANCE, n(lag2Window1, "eval_labels")), lag2Window1.toString());
    assertTrue(fainter <= 0.286 + 4 * 0.031, lag2Window1.toString());
  }

  private static Row find(List<Row> rows, int window, int lag) {
    return rows.stream()
        .filter(r -> r.<Integer>getAs("window") == window && r.<Integer>getAs("lag") == lag)
        .findFirst()
        .orElseThrow();
  }
}
