package io.echolstm.sweep;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and commits finished points on one background thread, in the order they finished, so the
 * next point trains while the last one is written (a Parquet commit and a model file take about as
 * long as a small point's training). At most {@code maxPending} points wait or are being committed:
 * a point that finishes beyond that waits for a commit to end, so small points cannot run far ahead
 * of their rows (a crash loses the points in flight and those pending, no more). Every queued
 * commit runs, also after another failed; the first failure is kept and rethrown by {@link
 * #failure()} and {@link #close()}.
 *
 * <p>When the JVM shuts down (a signal, a fatal error) while commits are queued, they run before
 * Spark stops (a shutdown hook above Spark's, bounded by {@link #DRAIN}): a finished point is not
 * lost to a signal that arrives while its row is written. Points that finish after that are not
 * committed; a rerun trains them.
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
  private final Semaphore pending;
  private final Runnable drainOnShutdown = this::stop;

  /**
   * How long a shutdown waits for the queued commits: a commit takes about a second, and the whole
   * shutdown must stay within the launcher's grace period.
   */
  static final long DRAIN_SECONDS = 15;

  /**
   * Above Spark's own hook (which stops the SparkContext at {@code
   * FileSystem.SHUTDOWN_HOOK_PRIORITY + 30}), so queued commits still have Spark.
   */
  private static final int DRAIN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;

  /** A committer that holds at most {@code maxPending} points' commits at once. */
  Committer(int maxPending) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be >= 1, found " + maxPending);
    }
    this.pending = new Semaphore(maxPending);
    ShutdownHookManager.get()
        .addShutdownHook(drainOnShutdown, DRAIN_PRIORITY, DRAIN_SECONDS + 1, TimeUnit.SECONDS);
  }

  /**
   * Queues {@code commit} of {@code point}, first waiting while {@code maxPending} commits are
   * queued or running.
   */
  void submit(PlannedPoint point, Commit commit) {
    pending.acquireUninterruptibly();
    try {
      queue(point, commit);
    } catch (RejectedExecutionException e) {
      pending.release();
      LOG.info("{} {} not committed: the job is stopping", point.progress(), point.point().label());
    }
  }

  private void queue(PlannedPoint point, Commit commit) {
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
          } finally {
            pending.release();
          }
        });
  }

  /** The first commit that failed so far, if any: then no further point should start. */
  PointFailedException failure() {
    return failure.get();
  }

  /**
   * Runs the commits queued so far (waiting up to {@link #DRAIN_SECONDS}) and accepts no more: what
   * the JVM's shutdown does before Spark stops.
   */
  void stop() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("commits still running after {} s; the rerun trains their points", DRAIN_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until every queued commit ran.
   *
   * @throws PointFailedException the first commit that failed
   */
  @Override
  public void close() {
    if (!ShutdownHookManager.get().isShutdownInProgress()) {
      ShutdownHookManager.get().removeShutdownHook(drainOnShutdown);
    }
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
