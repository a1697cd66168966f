package io.echolstm.sweep;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and commits finished points on one background thread, in the order they finished, so the
 * next point trains while the last one is written (a Parquet commit and a model file take about as
 * long as a small point's training). Every queued commit runs, also after another failed; the first
 * failure is kept and rethrown by {@link #failure()} and {@link #close()}.
 */
final class Committer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

  /** One point's saving and committing, naming what it is doing for the failure report. */
  @FunctionalInterface
  interface Commit {
    void run(PointStage stage);
  }

  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "echo-lstm-commit");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<PointFailedException> failure = new AtomicReference<>();

  /** Queues {@code commit} of {@code point}. */
  void submit(PlannedPoint point, Commit commit) {
    thread.execute(
        () -> {
          PointStage stage = new PointStage();
          try {
            commit.run(stage);
          } catch (Throwable t) {
            PointFailedException e =
                new PointFailedException(point.progress(), point.point().label(), stage.name(), t);
            if (!failure.compareAndSet(null, e)) {
              LOG.error("{} (after an earlier failure)", e.getMessage(), t);
            }
          }
        });
  }

  /** The first commit that failed so far, if any: then no further point should start. */
  PointFailedException failure() {
    return failure.get();
  }

  /**
   * Waits until every queued commit ran.
   *
   * @throws PointFailedException the first commit that failed
   */
  @Override
  public void close() {
    thread.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
        thread.shutdownNow();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
