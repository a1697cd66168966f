package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.TrainSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code train.workers=auto}: all of Spark's default parallelism for a point large enough that a
 * second worker pays (LSTM units × time steps × batch ≥ {@link TrainSettings#AUTO_MIN_WORK}), one
 * worker below it; a written count as written.
 */
class AutoWorkersTest {
  private static SweepPoint point(String... sets) {
    ConfigLoader loader = new ConfigLoader();
    for (String s : sets) {
      loader.set(s);
    }
    List<SweepPoint> points = SweepPlan.expand(loader.load(List.of())).points();
    assertEquals(1, points.size(), points.toString());
    return points.get(0);
  }

  @Test
  void theThresholdIsTheMeasuredCrossover() {
    assertEquals(128L * 10 * 128, TrainSettings.AUTO_MIN_WORK);
  }

  @Test
  void autoGivesEveryCoreOnlyToALargeEnoughPoint() {
    String[] small = {"sweep.lags=1", "sweep.windows=5", "model.hidden=50", "train.batch-size=128"};
    assertEquals(1, point(small).workers(8), "50 x 5 x 128: one worker");
    String[] heavy = {
      "sweep.lags=1", "sweep.windows=10", "model.hidden=256", "train.batch-size=128"
    };
    assertEquals(8, point(heavy).workers(8), "256 x 10 x 128: every core");
    assertEquals(1, point(heavy).workers(1), "one core: one worker");
  }

  @Test
  void theBoundaryCountsUnitsStepsAndBatch() {
    assertEquals(
        2,
        point("sweep.lags=1", "sweep.windows=10", "model.hidden=128", "train.batch-size=128")
            .workers(2),
        "exactly the threshold");
    assertEquals(
        1,
        point("sweep.lags=1", "sweep.windows=10", "model.hidden=128", "train.batch-size=127")
            .workers(2),
        "one example short of it");
  }

  @Test
  void aWholeSequenceCountsTheSequenceAsItsSteps() {
    SweepPoint whole =
        point(
            "sweep.variants=whole-sequence",
            "sweep.windows=1",
            "sweep.lags=1",
            "data.sequence-length=100",
            "model.hidden=128",
            "train.batch-size=128");
    assertEquals(2, whole.workers(2), "128 units x 100 steps x 128");
  }

  @Test
  void aWrittenCountIsKept() {
    assertEquals(
        1,
        point("sweep.lags=1", "sweep.windows=10", "model.hidden=256", "train.workers=1")
            .workers(8));
    assertEquals(3, point("sweep.lags=1", "model.hidden=10", "train.workers=3").workers(8));
  }
}
