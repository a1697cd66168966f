package io.echolstm.sweep;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.ExperimentSettings;
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
 * The sweep as data: every point, expanded up front from the picked experiments.
 *
 * @param points the points, in the order they are started and reported
 * @param concurrency points trained at once, or {@link SweepSettings#AUTO_CONCURRENCY}
 * @param savedModels ids of the points whose trained network is saved ({@code model.save})
 */
public record SweepPlan(List<SweepPoint> points, int concurrency, Set<String> savedModels) {
  /**
   * {@code model.save=auto} saves the networks of a plan of at most this many points: enough for
   * the tutorial's and the extensions' sweeps and small grids, not for a search whose models nobody
   * will open one by one.
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
   * The Cartesian product variants × hidden × windows × lags of each experiment, in that nesting.
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
              points.add(point(e, variant, hidden, window, lag));
              saves.add(e.model().save());
            }
          }
        }
      }
    }
    Set<String> saved = new HashSet<>();
    boolean small = points.size() <= AUTO_SAVE_MAX_POINTS;
    for (int i = 0; i < points.size(); i++) {
      if (saves.get(i) == ModelSave.TRUE || (saves.get(i) == ModelSave.AUTO && small)) {
        saved.add(points.get(i).id());
      }
    }
    return new SweepPlan(points, concurrency, saved);
  }

  /** The point of experiment {@code e} with these values of its swept lists. */
  private static SweepPoint point(
      ExperimentSettings e, Variant variant, int hidden, int window, int lag) {
    return new SweepPoint(
        e.name(), variant, lag, window, hidden, e.seed(), e.data(), e.model(), e.train(), e.eval());
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
        e.sweep().lags().get(0));
  }

  /** True when {@code point}'s trained network is saved with its row. */
  public boolean savesModel(SweepPoint point) {
    return savedModels.contains(point.id());
  }
}
