package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SweepProgressTest {
  private static final long S = 1_000_000_000L;

  @Test
  void estimatesTheTimeLeftFromTheWallTimePerFinishedPoint() {
    SweepProgress p = new SweepProgress(8, 100 * S);
    assertEquals("1/8 points trained in 10 s, about 1 min 10 s left", p.pointDone(110 * S));
    // Two points finishing together (trained at once) halve the time per point.
    assertEquals("2/8 points trained in 10 s, about 30 s left", p.pointDone(110 * S));
    assertEquals("3/8 points trained in 30 s, about 50 s left", p.pointDone(130 * S));
  }

  @Test
  void theLastPointHasNoEstimate() {
    SweepProgress p = new SweepProgress(1, 0);
    assertEquals("1/1 points trained in 1 h 1 min", p.pointDone(3661 * S));
  }

  /** With frontier searches the count is a bound, lowered as searches end before it. */
  @Test
  void aBoundIsSaidAndLoweredAsSearchesEnd() {
    SweepProgress p = new SweepProgress(10, true, 0);
    assertEquals(
        "1/≤10 points trained in 10 s, at most about 1 min 30 s left", p.pointDone(10 * S));
    p.fewer(7);
    assertEquals("2/≤3 points trained in 20 s, at most about 10 s left", p.pointDone(20 * S));
    assertEquals("3/3 points trained in 30 s", p.pointDone(30 * S));
  }

  @Test
  void durations() {
    assertEquals("0 s", SweepProgress.duration(0.2));
    assertEquals("59 s", SweepProgress.duration(59.4));
    assertEquals("1 min 0 s", SweepProgress.duration(59.6));
    assertEquals("59 min 59 s", SweepProgress.duration(3599));
    assertEquals("2 h 0 min", SweepProgress.duration(7200));
  }
}
