package io.echolstm.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs points in plan order, {@code concurrency} at a time: one at a time on the caller's thread,
 * or on a pool of that many threads (each point in its own Spark job group, see {@link
 * PointPipeline}). After a failure no further point starts; the points in flight finish and commit,
 * then the first failure is rethrown.
 */
final class PoolScheduler implements PointScheduler {
  private final int concurrency;

  PoolScheduler(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, found " + concurrency);
    }
    this.concurrency = concurrency;
  }

  @Override
  public void run(List<PlannedPoint> points, Task task) {
    runAll(concurrency, points, task::run);
  }

  /**
   * Runs {@code body} for each of {@code units} in order, {@code concurrency} at a time (on the
   * caller's thread when 1). After a failure no further unit starts; the units in flight finish,
   * then the first failure is rethrown.
   */
  static <T> void runAll(int concurrency, List<T> units, Consumer<T> body) {
    if (concurrency == 1) {
      for (T unit : units) {
        body.accept(unit);
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, new PointThreads());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (T unit : units) {
        futures.add(
            pool.submit(
                () -> {
                  if (failure.get() != null) {
                    return;
                  }
                  try {
                    body.accept(unit);
                  } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while points were training", e);
        } catch (ExecutionException e) {
          failure.compareAndSet(null, new IllegalStateException(e.getCause()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Names the sweep's threads after what they do (visible in thread dumps and profiles). */
  private static final class PointThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "echo-lstm-point-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
