package io.echolstm.config;

import java.util.List;

/**
 * The {@code sweep.*} settings: the lists an experiment's grid expands over, and how many of its
 * points train at once.
 *
 * @param variants model variants to sweep
 * @param lags lags to sweep, each {@code >= 0}
 * @param windows windows to sweep, each {@code >= 1}
 * @param concurrency points trained at once, or {@link #AUTO_CONCURRENCY}
 */
public record SweepSettings(
    List<Variant> variants, List<Integer> lags, List<Integer> windows, int concurrency) {

  /** Derive the concurrency from the cluster's cores and the workers per point. */
  public static final int AUTO_CONCURRENCY = 0;

  public SweepSettings {
    variants = List.copyOf(Settings.SWEEP_VARIANTS.check(variants));
    lags = List.copyOf(Settings.SWEEP_LAGS.check(lags));
    windows = List.copyOf(Settings.SWEEP_WINDOWS.check(windows));
    Settings.SWEEP_CONCURRENCY.check(concurrency);
  }
}
