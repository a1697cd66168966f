package io.echolstm.config;

import java.util.List;

/**
 * The {@code sweep.*} settings: the lists an experiment's grid expands over, how many of its points
 * train at once, and whether its lags are a grid or a range to search.
 *
 * @param variants model variants to sweep
 * @param lags lags to sweep, each {@code >= 0}
 * @param windows windows to sweep, each {@code >= 1}
 * @param concurrency points trained at once, or {@link #AUTO_CONCURRENCY}
 * @param lagSearch every lag a point ({@link LagSearch#GRID}), or a frontier search over them
 */
public record SweepSettings(
    List<Variant> variants,
    List<Integer> lags,
    List<Integer> windows,
    int concurrency,
    LagSearch lagSearch) {

  /** Derive the concurrency from the cluster's cores and the workers per point. */
  public static final int AUTO_CONCURRENCY = 0;

  public SweepSettings {
    variants = List.copyOf(Settings.SWEEP_VARIANTS.check(variants));
    lags = List.copyOf(Settings.SWEEP_LAGS.check(lags));
    windows = List.copyOf(Settings.SWEEP_WINDOWS.check(windows));
    Settings.SWEEP_CONCURRENCY.check(concurrency);
    Settings.SWEEP_LAG_SEARCH.check(lagSearch);
  }
}
