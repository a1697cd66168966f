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
 * stage, sequentially and concurrently. Failures are injected at a stage (a stage wrapped to
 * throw), not provoked.
 */
class SweepFailureSparkTest extends SparkTestSession {
  @TempDir Path dir;

  private PointFailedException fail(int concurrency, String atStage, Throwable failure) {
    SweepPlan plan =
        SweepPlan.expand(
            TinySweep.loader().set("sweep.concurrency=" + concurrency).load(List.of()));
    ResultsTable table = new ResultsTable(spark, dir.resolve("r").toString());
    return assertThrows(
        PointFailedException.class,
        () -> GuardedRun.run(spark, table, "r", plan, s -> failingAt(atStage, failure, s)));
  }

  /** {@code stages} with the stage named {@code stage} throwing {@code failure} at lag 1. */
  private static PointStages failingAt(String stage, Throwable failure, PointStages stages) {
    return switch (stage) {
      case "preparing data" ->
          Stages.withPrepare(
              stages,
              p -> {
                failAtLag1(p, failure);
                return stages.prepare().prepare(p);
              });
      case "training" ->
          Stages.withTrain(
              stages,
              (p, data, at) -> {
                failAtLag1(p, failure);
                return stages.train().train(p, data, at);
              });
      case "committing" ->
          Stages.withCommit(
              stages,
              (p, row) -> {
                failAtLag1(p, failure);
                stages.commit().commit(p, row);
              });
      default -> throw new IllegalArgumentException(stage);
    };
  }

  private static void failAtLag1(PlannedPoint p, Throwable failure) {
    if (p.point().lag() == 1) {
      if (failure instanceof Error e) {
        throw e;
      }
      throw (RuntimeException) failure;
    }
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
