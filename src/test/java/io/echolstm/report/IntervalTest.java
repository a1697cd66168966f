package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mean and 95 % Student-t interval of replicates, on cases worked out by hand. */
class IntervalTest {
  /** Student's t 0.975 quantiles as printed in statistics tables (3 decimals). */
  @Test
  void quantilesMatchThePrintedTables() {
    double[][] table = {
      {1, 12.706},
      {2, 4.303},
      {3, 3.182},
      {4, 2.776},
      {5, 2.571},
      {9, 2.262},
      {10, 2.228},
      {20, 2.086},
      {29, 2.045},
      {30, 2.042},
      {60, 2.000},
      {120, 1.980}
    };
    for (double[] row : table) {
      assertEquals(row[1], Interval.studentT975((int) row[0]), 5e-4, "df " + (int) row[0]);
    }
    // Known to more places: df 1 is tan(0.475 pi), df 2 is sqrt(2 x 0.95^2 / (1 - 0.95^2)) ...
    assertEquals(Math.tan(0.475 * Math.PI), Interval.studentT975(1), 1e-12);
    assertEquals(Math.sqrt(2 * 0.95 * 0.95 / (1 - 0.95 * 0.95)), Interval.studentT975(2), 1e-12);
    // ... and with many degrees of freedom it tends to the normal's 1.959964.
    assertEquals(1.959964, Interval.studentT975(100_000), 1e-4);
    assertTrue(Interval.studentT975(10_000) > Interval.studentT975(100_000));
    assertThrows(IllegalArgumentException.class, () -> Interval.studentT975(0));
  }

  /**
   * 1, 2, 3: mean 2; squared deviations 1 + 0 + 1 = 2, so s^2 = 2 / (3 - 1) = 1; half-width t(2) s
   * / sqrt(3) = 4.302653 / 1.732051 = 2.484138.
   */
  @Test
  void threeValues() {
    Interval i = Interval.of(List.of(1, 2, 3));
    assertEquals(3, i.n());
    assertEquals(2.0, i.mean(), 1e-15);
    assertEquals(2.484138, i.halfWidth(), 1e-6);
    assertEquals(2.0 - 2.484138, i.low(), 1e-6);
    assertEquals(2.0 + 2.484138, i.high(), 1e-6);
    assertEquals("2.00 ± 2.48 (n=3)", i.format(2));
  }

  /** 0 and 1: mean 0.5, s = sqrt(0.5), half-width 12.706205 sqrt(0.5) / sqrt(2) = 6.353102. */
  @Test
  void twoValuesHaveAWideInterval() {
    Interval i = Interval.of(List.of(0.0, 1.0));
    assertEquals(0.5, i.mean(), 1e-15);
    assertEquals(6.353102, i.halfWidth(), 1e-6);
  }

  /**
   * Five test accuracies: mean 4.9871 / 5 = 0.99742; deviations -0.00052, 0.00068, -0.00172,
   * -0.00002, 0.00158, whose squares add up to 6.188e-6; s^2 = 6.188e-6 / 4 = 1.547e-6, s =
   * 0.0012438; half-width 2.776445 x 0.0012438 / sqrt(5) = 0.0015444.
   */
  @Test
  void fiveAccuracies() {
    Interval i = Interval.of(List.of(0.9969, 0.9981, 0.9957, 0.9974, 0.9990));
    assertEquals(5, i.n());
    assertEquals(0.99742, i.mean(), 1e-12);
    assertEquals(0.0015444, i.halfWidth(), 1e-7);
    assertEquals("0.9974 ± 0.0015 (n=5)", i.format(4));
  }

  @Test
  void equalValuesHaveNoWidth() {
    Interval i = Interval.of(List.of(0.5, 0.5, 0.5));
    assertEquals(0.0, i.halfWidth());
    assertEquals("0.5000 ± 0.0000 (n=3)", i.format(4));
  }

  /** A metric that does not apply to a replicate (null, NaN) is left out, and n says so. */
  @Test
  void missingValuesAreLeftOut() {
    Interval i = Interval.of(Arrays.asList(1.0, null, 2.0, Double.NaN, 3.0));
    assertEquals(3, i.n());
    assertEquals(2.484138, i.halfWidth(), 1e-6);
    Interval one = Interval.of(Arrays.asList(null, 12000L));
    assertEquals(1, one.n());
    assertTrue(Double.isNaN(one.halfWidth()), "one value has no interval");
    assertEquals(12000.0, one.low());
    assertEquals("12000 (n=1)", one.format(0));
    Interval none = Interval.of(Arrays.asList((Double) null));
    assertEquals(0, none.n());
    assertEquals("-", none.format(4));
  }
}
