package io.echolstm.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echolstm.window.LagWindows.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagWindowsTest {
  private static final int[] SEQ = {10, 11, 12, 13, 14, 15};

  @Test
  void echoCurrentIsEveryValueAsItsOwnLabel() {
    List<Sample> s = LagWindows.frame(SEQ, 1, 0);
    assertEquals(6, s.size());
    assertEquals(new Sample(0, new int[] {10}, 10), s.get(0));
    assertEquals(new Sample(5, new int[] {15}, 15), s.get(5));
  }

  @Test
  void windowThreeLagTwoLabelsTheOldestValue() {
    // pandas: df.shift(2), df.shift(1), df -> features; label = df.shift(2); drop NaN rows.
    List<Sample> s = LagWindows.frame(SEQ, 3, 2);
    assertEquals(
        List.of(
            new Sample(2, new int[] {10, 11, 12}, 10),
            new Sample(3, new int[] {11, 12, 13}, 11),
            new Sample(4, new int[] {12, 13, 14}, 12),
            new Sample(5, new int[] {13, 14, 15}, 13)),
        s);
  }

  @Test
  void lagBeyondWindowNeedsMoreHistoryThanTheWindow() {
    List<Sample> s = LagWindows.frame(SEQ, 2, 4);
    assertEquals(
        List.of(new Sample(4, new int[] {13, 14}, 10), new Sample(5, new int[] {14, 15}, 11)), s);
    assertEquals(2, LagWindows.samplesPerSequence(SEQ.length, 2, 4));
  }

  @Test
  void windowAsLongAsTheSequenceGivesOneSample() {
    assertEquals(List.of(new Sample(5, SEQ.clone(), 15)), LagWindows.frame(SEQ, 6, 0));
  }
}
