package io.echolstm.sweep;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.ExperimentSettings;
import io.echolstm.config.LagSearch;
import io.echolstm.config.ModelSave;
import io.echolstm.config.SweepSettings;
import io.echolstm.config.Variant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sweep as data: every point, expanded up front from the picked experiments. A frontier search
 * ({@code sweep.lag-search=frontier}) contributes every point of its range, its candidates: the
 * plan's identity (the run's recorded plan) is the whole range, and the search decides as it runs
 * which of them it probes ({@link #searches()}).
 *
 * @param points the points, in the order they are started and reported
 * @param concurrency points trained at once, or {@link SweepSettings#AUTO_CONCURRENCY}
 * @param savedModels ids of the points whose trained network is saved ({@code model.save})
 */
public record SweepPlan(List<SweepPoint> points, int concurrency, Set<String> savedModels) {
  /**
   * {@code model.save=auto} saves the networks of a plan of at most this many points ({@link
   * #maxPoints()}: a frontier search counts the most probes it makes): enough for the tutorial's
   * and the extensions' sweeps and small grids, not for a search whose models nobody will open one
   * by one.
   */
  public static final int AUTO_SAVE_MAX_POINTS = 100;

  public SweepPlan {
    points = List.copyOf(points);
    savedModels = Set.copyOf(savedModels);
    Map<String, SweepPoint> seen = new LinkedHashMap<>();
    for (SweepPoint p : points) {
      SweepPoint before = seen.putIfAbsent(p.id(), p);
      if (before != null) {
        throw new IllegalArgumentException("the sweep lists one point twice: " + p.label());
      }
    }
  }

  /**
   * The Cartesian product variants × hidden × windows × lags × seeds of each experiment, in that
   * nesting: the replicates of a configuration (its points that differ only in their seed) are
   * neighbours.
   */
  public static SweepPlan expand(List<ExperimentSettings> experiments) {
    List<SweepPoint> points = new ArrayList<>();
    List<ModelSave> saves = new ArrayList<>();
    int concurrency = SweepSettings.AUTO_CONCURRENCY;
    for (ExperimentSettings e : experiments) {
      int c = e.sweep().concurrency();
      if (c != SweepSettings.AUTO_CONCURRENCY) {
        concurrency = concurrency == SweepSettings.AUTO_CONCURRENCY ? c : Math.min(concurrency, c);
      }
      for (Variant variant : e.sweep().variants()) {
        for (int hidden : e.model().hidden()) {
          for (int window : e.sweep().windows()) {
            for (int lag : e.sweep().lags()) {
              for (long seed : e.seed()) {
                points.add(point(e, variant, hidden, window, lag, seed));
                saves.add(e.model().save());
              }
            }
          }
        }
      }
    }
    Set<String> saved = new HashSet<>();
    boolean small = maxPoints(points) <= AUTO_SAVE_MAX_POINTS;
    for (int i = 0; i < points.size(); i++) {
      if (saves.get(i) == ModelSave.TRUE || (saves.get(i) == ModelSave.AUTO && small)) {
        saved.add(points.get(i).id());
      }
    }
    return new SweepPlan(points, concurrency, saved);
  }

  /** The point of experiment {@code e} with these values of its swept lists. */
  private static SweepPoint point(
      ExperimentSettings e, Variant variant, int hidden, int window, int lag, long seed) {
    return new SweepPoint(
        e.name(),
        variant,
        lag,
        window,
        hidden,
        seed,
        e.data(),
        e.model(),
        e.train(),
        e.eval(),
        e.sweep().lagSearch());
  }

  /**
   * One frontier search: the points of one configuration and seed at every lag of its range, its
   * candidates, by lag.
   */
  public record Search(List<SweepPoint> candidates) {
    public Search {
      candidates =
          candidates.stream().sorted(java.util.Comparator.comparingInt(SweepPoint::lag)).toList();
    }

    /** The most probes the search makes ({@link FrontierSearch#maxProbes}). */
    public int maxProbes() {
      return FrontierSearch.maxProbes(candidates.size());
    }

    /** E.g. {@code stateful variant=stateful window=5 hidden=50 seed=2, lags 0-24}. */
    public String label() {
      SweepPoint first = candidates.get(0);
      SweepPoint last = candidates.get(candidates.size() - 1);
      int m = candidates.size();
      String lags =
          m == 1
              ? "lag " + first.lag()
              : last.lag() - first.lag() + 1 == m
                  ? "lags " + first.lag() + "-" + last.lag()
                  : "lags "
                      + String.join(
                          ",", candidates.stream().map(p -> String.valueOf(p.lag())).toList());
      return first.label().replace(" lag=" + first.lag() + " ", " ") + ", " + lags;
    }
  }

  /** The frontier searches of the plan, in plan order (none for a grid). */
  public List<Search> searches() {
    Map<String, List<SweepPoint>> byKey = new LinkedHashMap<>();
    for (SweepPoint p : points) {
      if (p.lagSearch() == LagSearch.FRONTIER) {
        byKey.computeIfAbsent(p.searchKey(), k -> new ArrayList<>()).add(p);
      }
    }
    return byKey.values().stream().map(Search::new).toList();
  }

  /**
   * The most points the plan can train: every grid point, and each frontier search's {@link
   * Search#maxProbes()}.
   */
  public int maxPoints() {
    return maxPoints(points);
  }

  /** {@link #maxPoints()} of {@code points}. */
  static int maxPoints(List<SweepPoint> points) {
    Map<String, Integer> searches = new LinkedHashMap<>();
    int grid = 0;
    for (SweepPoint p : points) {
      if (p.lagSearch() == LagSearch.GRID) {
        grid++;
      } else {
        searches.merge(p.searchKey(), 1, Integer::sum);
      }
    }
    return grid + searches.values().stream().mapToInt(FrontierSearch::maxProbes).sum();
  }

  /**
   * The point of the defaults: every setting at its declared default, the first value of each swept
   * list. A point key leaves out a setting declared later while it has its value here ({@link
   * io.echolstm.config.PointKey}).
   */
  static SweepPoint defaultsPoint() {
    ExperimentSettings e = new ConfigLoader().load(List.of()).get(0);
    return point(
        e,
        e.sweep().variants().get(0),
        e.model().hidden().get(0),
        e.sweep().windows().get(0),
        e.sweep().lags().get(0),
        e.seed().get(0));
  }

  /** True when {@code point}'s trained network is saved with its row. */
  public boolean savesModel(SweepPoint point) {
    return savedModels.contains(point.id());
  }
}
