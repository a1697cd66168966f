package io.echolstm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ratios written to the results table, from the totals {@link Scorer} counts. */
class MetricsTest {

  @Test
  void eachRatioDividesItsOwnCounts() {
    // 4 samples with 8 labels, 5 right; 6 of the labels reachable, 4 of those right; 3 samples
    // with a reachable label, 1 with all of them right; losses summing to 8 nats.
    Metrics m = new Metrics(4, 8, 5, 8.0, 6, 4, 3, 1);
    assertEquals(5.0 / 8, m.accuracy());
    assertEquals(4.0 / 6, m.reachableAccuracy());
    assertEquals(1.0 / 3, m.exactMatchAccuracy());
    assertEquals(1.0, m.meanLoss(), "loss per label, not per sample");
  }

  @Test
  void aRatioWithNothingToCountIsNaN() {
    assertTrue(Double.isNaN(Metrics.EMPTY.accuracy()));
    assertTrue(Double.isNaN(Metrics.EMPTY.meanLoss()));
    // A control point: labels scored, none reachable, so no reachable or exact-match figure.
    Metrics control = new Metrics(10, 10, 1, 23.0, 0, 0, 0, 0);
    assertEquals(0.1, control.accuracy());
    assertEquals(2.3, control.meanLoss(), 1e-15);
    assertTrue(Double.isNaN(control.reachableAccuracy()));
    assertTrue(Double.isNaN(control.exactMatchAccuracy()));
  }

  @Test
  void partialTotalsAddUpFieldByField() {
    Metrics a = new Metrics(1, 2, 3, 0.5, 4, 5, 6, 7);
    Metrics b = new Metrics(10, 20, 30, 0.25, 40, 50, 60, 70);
    assertEquals(new Metrics(11, 22, 33, 0.75, 44, 55, 66, 77), a.plus(b));
    assertEquals(a, a.plus(Metrics.EMPTY));
    assertEquals(a, Metrics.EMPTY.plus(a));
    // The ratio of the summed counts (1 right of 4), not the mean of the parts' ratios (1 and 0).
    Metrics uneven = new Metrics(1, 1, 1, 0, 0, 0, 0, 0).plus(new Metrics(3, 3, 0, 0, 0, 0, 0, 0));
    assertEquals(0.25, uneven.accuracy());
  }
}
