package io.echolstm.sweep;

import io.echolstm.results.ResultRow;
import java.util.List;

/**
 * Decides when each of a run's points runs, and how many run at once. {@link PoolScheduler} runs
 * the points in plan order, a fixed number at a time; a scheduler may also choose the next points
 * from the rows of the points done.
 */
@FunctionalInterface
interface PointScheduler {

  /** Runs one point to its committed row. */
  @FunctionalInterface
  interface Task {
    /**
     * @throws PointFailedException when the point failed (its row is not committed)
     */
    ResultRow run(PlannedPoint point);
  }

  /**
   * Runs {@code task} for the points of {@code points}; returns once no point is running. After a
   * failure no further point starts, and the first failure is rethrown.
   */
  void run(List<PlannedPoint> points, Task task);
}
