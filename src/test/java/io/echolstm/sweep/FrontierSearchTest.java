package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.results.LagFrontier;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The probe sequence of a frontier search, on a fake trainer: a known answer per lag. */
class FrontierSearchTest {
  /** Runs a search over {@code lags}, each probe answered by {@code reaches}; the probed lags. */
  static List<Integer> probes(List<Integer> lags, IntPredicate reaches, FrontierSearch search) {
    List<Integer> probed = new ArrayList<>();
    for (OptionalInt lag = search.next(); lag.isPresent(); lag = search.next()) {
      probed.add(lag.getAsInt());
      search.record(lag.getAsInt(), reaches.test(lag.getAsInt()));
    }
    assertTrue(search.done());
    return probed;
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  private static FrontierSearch search(List<Integer> lags) {
    return new FrontierSearch(lags);
  }

  /**
   * A stateless window of 5 over lags 0-24: lags 0-4 reach, the rest are controls. Doubling 0, 1,
   * 3, 7 (fails), 15 (fails: confirmed), then bisection between 3 and 7: 5 fails, 4 reaches.
   */
  @Test
  void monotoneBoundaryIsFoundByDoublingThenBisection() {
    List<Integer> lags = range(0, 24);
    FrontierSearch s = search(lags);
    assertEquals(List.of(0, 1, 3, 7, 15, 5, 4), probes(lags, lag -> lag <= 4, s));
    LagFrontier f = s.frontier();
    assertEquals(4, f.reached());
    assertEquals(5, f.failed());
    assertTrue(f.monotone());
    assertEquals(7, f.probes());
    assertEquals("frontier lag 4 (failed 5)", f.describe());
  }

  @Test
  void everyMonotoneBoundaryIsFoundExactly() {
    for (int m = 1; m <= 70; m++) {
      List<Integer> lags = range(10, 10 + m - 1);
      for (int b = 9; b < 10 + m; b++) {
        int boundary = b;
        FrontierSearch s = search(lags);
        List<Integer> probed = probes(lags, lag -> lag <= boundary, s);
        LagFrontier f = s.frontier();
        String what = "m=" + m + " boundary " + b + " probes " + probed;
        assertEquals(b < 10 ? null : (Integer) b, f.reached(), what);
        assertEquals(b + 1 < 10 + m ? (Integer) (b + 1) : null, f.failed(), what);
        assertTrue(f.monotone(), what);
        assertTrue(probed.size() <= FrontierSearch.maxProbes(m), what);
      }
    }
  }

  /** Lags that are not a contiguous range are searched by their order. */
  @Test
  void aListOfLagsIsSearchedInOrder() {
    List<Integer> lags = List.of(1, 2, 4, 8, 16, 24);
    FrontierSearch s = search(lags);
    assertEquals(List.of(1, 2, 8, 24, 4), probes(lags, lag -> lag <= 5, s));
    assertEquals(4, s.frontier().reached());
    assertEquals(8, s.frontier().failed());
  }

  @Test
  void nothingReachedAndEverythingReached() {
    List<Integer> lags = range(0, 9);
    FrontierSearch none = search(lags);
    // lag 0 fails; lag 1 confirms it: no lag is reached
    assertEquals(List.of(0, 1), probes(lags, lag -> false, none));
    assertNull(none.frontier().reached());
    assertEquals(0, none.frontier().failed());
    assertEquals("no lag reached (failed 0)", none.frontier().describe());

    FrontierSearch all = search(lags);
    assertEquals(List.of(0, 1, 3, 7, 9), probes(lags, lag -> true, all));
    assertEquals(9, all.frontier().reached());
    assertNull(all.frontier().failed());
    assertEquals("frontier lag 9 (none failed above it)", all.frontier().describe());

    FrontierSearch one = search(List.of(3));
    assertEquals(List.of(3), probes(List.of(3), lag -> true, one));
  }

  /**
   * Non-monotone: lag 3 fails but 7 reaches (as the masked variant's lag 2 can fail where lag 4
   * reaches). The failure at 3 is confirmed by the next doubling probe, 7, which reaches: the
   * contradiction is kept and reported, and the search goes on from 7.
   */
  @Test
  void aContradictionIsReportedNotHidden() {
    List<Integer> lags = range(0, 9);
    FrontierSearch s = search(lags);
    IntPredicate reaches = lag -> lag != 3 && lag <= 7;
    assertEquals(List.of(0, 1, 3, 7, 9, 8), probes(lags, reaches, s));
    LagFrontier f = s.frontier();
    assertEquals(7, f.reached());
    assertEquals(8, f.failed());
    assertEquals(List.of(3), f.contradictions());
    assertEquals("frontier lag 7 (failed 8); non-monotone: lag 3 failed below it", f.describe());

    // A failure whose confirming probe fails too is taken as the boundary: an island of success
    // further out is not seen (the search assumes monotonicity to skip lags).
    FrontierSearch island = search(range(0, 24));
    assertEquals(
        List.of(0, 1, 3, 7, 2), probes(range(0, 24), lag -> lag <= 1 || lag == 10, island));
    assertEquals(1, island.frontier().reached());
    assertTrue(island.frontier().monotone());
  }

  /** No answer pattern at all makes more probes than the bound, and the bound is reached. */
  @Test
  void theNumberOfProbesIsBounded() {
    assertEquals(0, FrontierSearch.maxProbes(0));
    assertEquals(1, FrontierSearch.maxProbes(1));
    assertEquals(2, FrontierSearch.maxProbes(2));
    assertEquals(10, FrontierSearch.maxProbes(25));
    assertEquals(20, FrontierSearch.maxProbes(1000));
    for (int m = 1; m <= 14; m++) {
      List<Integer> lags = range(0, m - 1);
      int worst = 0;
      for (int pattern = 0; pattern < 1 << m; pattern++) {
        int bits = pattern;
        List<Integer> probed = probes(lags, lag -> (bits >> lag & 1) == 1, search(lags));
        assertEquals(probed.size(), probed.stream().distinct().count(), "a lag probed twice");
        worst = Math.max(worst, probed.size());
      }
      assertTrue(worst <= FrontierSearch.maxProbes(m), "m=" + m + ": " + worst);
      if (Integer.bitCount(m) == 1) {
        assertEquals(FrontierSearch.maxProbes(m), worst, "the bound is tight at m=" + m);
      }
    }
    Random random = new Random(15);
    List<Integer> lags = range(0, 9_998);
    for (int trial = 0; trial < 200; trial++) {
      double p = random.nextDouble();
      long seed = random.nextLong();
      Random answers = new Random(seed);
      List<Integer> probed = probes(lags, lag -> answers.nextDouble() < p, search(lags));
      assertTrue(probed.size() <= FrontierSearch.maxProbes(lags.size()), "seed " + seed);
    }
  }

  @Test
  void probesOutOfTurnAndBadRangesAreRefused() {
    FrontierSearch s = search(range(0, 4));
    assertThrows(IllegalStateException.class, () -> s.record(3, true));
    assertThrows(IllegalArgumentException.class, () -> search(List.of()));
    assertThrows(IllegalArgumentException.class, () -> search(List.of(2, 1)));
  }
}
