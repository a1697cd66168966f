package io.echolstm.window;

import static io.echolstm.window.Frame.MISSING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramingTest {
  private static final int[] SEQ = {10, 11, 12, 13, 14, 15};
  private static final boolean T = true;
  private static final boolean F = false;

  private static Frame frame(int pos, int[] features, int[] labels, boolean[] reachable) {
    return new Frame(7, pos, features, labels, reachable);
  }

  private static Frame single(int pos, int[] features, int label, boolean reachable) {
    return frame(pos, features, new int[] {label}, new boolean[] {reachable});
  }

  // Each case lists every frame of the sequence, written out by hand, so a frame too many, too
  // few or wrong anywhere in the sequence fails.

  @Test
  void statelessEchoCurrentIsEveryValueAsItsOwnLabel() {
    assertEquals(
        List.of(
            single(0, new int[] {10}, 10, T),
            single(1, new int[] {11}, 11, T),
            single(2, new int[] {12}, 12, T),
            single(3, new int[] {13}, 13, T),
            single(4, new int[] {14}, 14, T),
            single(5, new int[] {15}, 15, T)),
        Framing.frame(Variant.STATELESS, 7, SEQ, 1, 0));
  }

  @Test
  void statelessWindowThreeLagTwoIsPandasShiftConcatWithNaNRowsDropped() {
    assertEquals(
        List.of(
            single(2, new int[] {10, 11, 12}, 10, T),
            single(3, new int[] {11, 12, 13}, 11, T),
            single(4, new int[] {12, 13, 14}, 12, T),
            single(5, new int[] {13, 14, 15}, 13, T)),
        Framing.frame(Variant.STATELESS, 7, SEQ, 3, 2));
  }

  @Test
  void statelessLagBeyondWindowIsUnreachable() {
    assertEquals(
        List.of(single(4, new int[] {13, 14}, 10, F), single(5, new int[] {14, 15}, 11, F)),
        Framing.frame(Variant.STATELESS, 7, SEQ, 2, 4));
    assertEquals(2, Framing.samplesPerSequence(Variant.STATELESS, SEQ.length, 2, 4));
  }

  @Test
  void maskedKeepsShortHistoryWithMissingSteps() {
    assertEquals(
        List.of(
            single(1, new int[] {MISSING, 10, 11}, 10, T),
            single(2, new int[] {10, 11, 12}, 11, T),
            single(3, new int[] {11, 12, 13}, 12, T),
            single(4, new int[] {12, 13, 14}, 13, T),
            single(5, new int[] {13, 14, 15}, 14, T)),
        Framing.frame(Variant.MASKED, 7, SEQ, 3, 1));
  }

  @Test
  void maskedLagBeyondWindowIsUnreachable() {
    assertEquals(
        List.of(single(4, new int[] {13, 14}, 10, F), single(5, new int[] {14, 15}, 11, F)),
        Framing.frame(Variant.MASKED, 7, SEQ, 2, 4));
    assertEquals(
        List.of(
            single(3, new int[] {11, 12, 13}, 10, F),
            single(4, new int[] {12, 13, 14}, 11, F),
            single(5, new int[] {13, 14, 15}, 12, F)),
        Framing.frame(Variant.MASKED, 7, SEQ, 3, 3));
  }

  @Test
  void wholeSequenceIsTheSequenceSoFarPadded() {
    assertEquals(
        List.of(
            single(4, new int[] {10, 11, 12, 13, 14, MISSING}, 10, T),
            single(5, new int[] {10, 11, 12, 13, 14, 15}, 11, T)),
        Framing.frame(Variant.WHOLE_SEQUENCE, 7, SEQ, 1, 4));
    assertEquals(
        List.of(
            single(0, new int[] {10, MISSING, MISSING, MISSING, MISSING, MISSING}, 10, T),
            single(1, new int[] {10, 11, MISSING, MISSING, MISSING, MISSING}, 11, T),
            single(2, new int[] {10, 11, 12, MISSING, MISSING, MISSING}, 12, T),
            single(3, new int[] {10, 11, 12, 13, MISSING, MISSING}, 13, T),
            single(4, new int[] {10, 11, 12, 13, 14, MISSING}, 14, T),
            single(5, new int[] {10, 11, 12, 13, 14, 15}, 15, T)),
        Framing.frame(Variant.WHOLE_SEQUENCE, 7, SEQ, 1, 0));
  }

  @Test
  void seq2seqLabelsEveryStepWithTheLaggedValue() {
    assertEquals(
        List.of(
            frame(2, new int[] {10, 11, 12}, new int[] {MISSING, 10, 11}, new boolean[] {F, T, T}),
            frame(3, new int[] {11, 12, 13}, new int[] {10, 11, 12}, new boolean[] {F, T, T}),
            frame(4, new int[] {12, 13, 14}, new int[] {11, 12, 13}, new boolean[] {F, T, T}),
            frame(5, new int[] {13, 14, 15}, new int[] {12, 13, 14}, new boolean[] {F, T, T})),
        Framing.frame(Variant.SEQ2SEQ, 7, SEQ, 3, 1));
  }

  /**
   * Issue 16 case 13: windows ending before {@code t = L}, whose every label precedes the sequence,
   * were framed (and counted as training windows: 1000 of which 40 carried a label at window 1, lag
   * 24). The first frame is the first with a label.
   */
  @Test
  void seq2seqLagBeyondWindowIsUnreachableAtEveryStep() {
    boolean[] none = {F, F};
    assertEquals(
        List.of(
            frame(3, new int[] {12, 13}, new int[] {MISSING, 10}, none),
            frame(4, new int[] {13, 14}, new int[] {10, 11}, none),
            frame(5, new int[] {14, 15}, new int[] {11, 12}, none)),
        Framing.frame(Variant.SEQ2SEQ, 7, SEQ, 2, 3));
    assertEquals(3, Framing.labelledSamplesPerSequence(Variant.SEQ2SEQ, SEQ.length, 2, 3));
    assertEquals(1, Framing.labelledSamplesPerSequence(Variant.SEQ2SEQ, 25, 1, 24));
  }

  /**
   * One definition of a counted window across variants: a sample with at least one label. Every
   * framed sample has one, but a stateful frame's windows before {@code t = L}.
   */
  @Test
  void everyCountedWindowCarriesALabelInEveryVariant() {
    int[] s = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    for (Variant v : Variant.values()) {
      for (int window = 1; window <= s.length; window++) {
        for (int lag = 0; lag < s.length; lag++) {
          long labelled = 0;
          for (Frame f : Framing.frame(v, 0, s, window, lag)) {
            long labels = java.util.Arrays.stream(f.labels()).filter(x -> x != MISSING).count();
            if (v == Variant.STATEFUL) {
              labelled += labels; // one label per labelled window
            } else {
              assertTrue(labels > 0, v + " window " + window + " lag " + lag + ": " + f);
              labelled++;
            }
          }
          assertEquals(
              Framing.labelledSamplesPerSequence(v, s.length, window, lag),
              labelled,
              v + " window " + window + " lag " + lag);
        }
      }
    }
  }

  @Test
  void statefulConcatenatesTheWindowsOfASequence() {
    List<Frame> f = Framing.frame(Variant.STATEFUL, 7, SEQ, 1, 1);
    assertEquals(
        List.of(
            frame(
                5,
                SEQ.clone(),
                new int[] {MISSING, 10, 11, 12, 13, 14},
                // The previous window held the value; the first label precedes the sequence.
                new boolean[] {F, T, T, T, T, T})),
        f);
    assertEquals(6, Framing.samplesPerSequence(Variant.STATEFUL, SEQ.length, 1, 1));
    assertEquals(5, Framing.labelledSamplesPerSequence(Variant.STATEFUL, SEQ.length, 1, 1));
    List<Frame> w2 = Framing.frame(Variant.STATEFUL, 7, new int[] {1, 2, 3}, 2, 0);
    assertEquals(
        List.of(
            frame(
                2,
                new int[] {1, 2, 2, 3},
                new int[] {MISSING, 2, MISSING, 3},
                new boolean[] {F, T, F, T})),
        w2);
    assertEquals(2, Framing.samplesPerSequence(Variant.STATEFUL, 3, 2, 0));
    assertEquals(2, Framing.labelledSamplesPerSequence(Variant.STATEFUL, 3, 2, 0));
  }

  @Test
  void statefulLagBeyondTheWindowIsReachableThroughTheCarriedState() {
    // Window 2, lag 3: windows end at positions 1..5; those at 3..5 echo s[0..2], which an earlier
    // window fed through the carried state. Windows 1 and 2 carry no label (before the sequence).
    assertEquals(
        List.of(
            frame(
                5,
                new int[] {10, 11, 11, 12, 12, 13, 13, 14, 14, 15},
                new int[] {
                  MISSING, MISSING, MISSING, MISSING, MISSING, 10, MISSING, 11, MISSING, 12
                },
                new boolean[] {F, F, F, F, F, T, F, T, F, T})),
        Framing.frame(Variant.STATEFUL, 7, SEQ, 2, 3));
    assertEquals(5, Framing.samplesPerSequence(Variant.STATEFUL, SEQ.length, 2, 3));
    assertEquals(3, Framing.labelledSamplesPerSequence(Variant.STATEFUL, SEQ.length, 2, 3));
    assertTrue(Variant.STATEFUL.labelReachable(3, 2), "not a control");
    assertTrue(Variant.STATEFUL.labelReachable(1, 1), "not a control");
    assertFalse(Variant.STATELESS.labelReachable(3, 2), "stateless: a control");
    // Other variants: every sample carries a label.
    for (Variant v :
        new Variant[] {
          Variant.STATELESS, Variant.MASKED, Variant.WHOLE_SEQUENCE, Variant.SEQ2SEQ
        }) {
      assertEquals(
          Framing.samplesPerSequence(v, SEQ.length, 2, 3),
          Framing.labelledSamplesPerSequence(v, SEQ.length, 2, 3),
          v.toString());
    }
  }
}
