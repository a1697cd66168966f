package io.echolstm.config;

/** How an experiment goes through the lags of {@code sweep.lags}. */
public enum LagSearch {
  /** Every lag is a point to train: the grid. */
  GRID,
  /**
   * The lags are a range to search: per configuration and seed, the largest lag whose point reaches
   * the target accuracy on validation, probed by doubling and then bisection; each probe is a
   * point.
   */
  FRONTIER
}
