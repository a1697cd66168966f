package io.echolstm.sweep;

/**
 * A point of a run's plan with its place in it: {@code index} (from 0) of {@code of} points.
 *
 * @param saveModel whether the point's network is saved with its row ({@link SweepPlan#savesModel})
 * @param ofAtMost whether {@code of} is the most points the run can train rather than their number
 *     (a plan with frontier searches, whose probes are decided as it runs)
 */
record PlannedPoint(SweepPoint point, int index, int of, boolean saveModel, boolean ofAtMost) {
  /**
   * How far into the plan the point is, e.g. {@code point 3/8} (or {@code point 3/≤30}): every log
   * line of the point starts with it, so the lines of points trained at once can be told apart.
   */
  String progress() {
    return "point " + (index + 1) + "/" + (ofAtMost ? "≤" : "") + of;
  }
}
