package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echolstm.results.ResultsTable;
import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A point's failure, whatever it is (an exception, an {@link AssertionError}, an {@link
 * OutOfMemoryError}), reaches the caller as a {@link PointFailedException} naming the point and the
 * stage, sequentially and concurrently. Failures are injected at a stage, not provoked.
 */
class SweepFailureSparkTest extends SparkTestSession {
  @TempDir Path dir;

  private PointFailedException fail(int concurrency, String atStage, Throwable failure) {
    SweepPlan plan =
        SweepPlan.expand(
            TinySweep.loader().set("sweep.concurrency=" + concurrency).load(List.of()));
    SweepRunner runner =
        new SweepRunner(spark, new ResultsTable(spark, dir.resolve("r").toString()), "r", false);
    runner.onStage =
        (point, stage) -> {
          if (stage.equals(atStage) && point.lag() == 1) {
            if (failure instanceof Error e) {
              throw e;
            }
            throw (RuntimeException) failure;
          }
        };
    return assertThrows(PointFailedException.class, () -> runner.run(plan));
  }

  @Test
  void errorsAndExceptionsNameThePointAndTheStage() {
    PointFailedException e = fail(1, "training", new AssertionError("injected"));
    assertEquals("point 2/2", e.progress());
    assertEquals("training", e.stage());
    assertInstanceOf(AssertionError.class, e.getCause());

    e = fail(1, "preparing data", new OutOfMemoryError("injected"));
    assertEquals("preparing data", e.stage());
    assertInstanceOf(OutOfMemoryError.class, e.getCause());

    e = fail(2, "committing", new IllegalStateException("injected"));
    assertEquals("point 2/2", e.progress());
    assertEquals("committing", e.stage());
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }
}
