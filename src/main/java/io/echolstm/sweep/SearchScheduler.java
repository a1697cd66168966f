package io.echolstm.sweep;

import io.echolstm.config.LagSearch;
import io.echolstm.results.LagFrontier;
import io.echolstm.results.ResultRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan that holds frontier searches ({@code sweep.lag-search=frontier}), {@code concurrency}
 * units at a time: each grid point is a unit, and so is each search, whose probes run one after
 * another, each chosen by its {@link FrontierSearch} from the outcomes of the probes before. Every
 * probe is an ordinary point, run by the same {@link PointScheduler.Task}; a probe the run already
 * committed is not trained again, its outcome comes from the table. Searches of different
 * configurations (and seeds) run at once; after a failure no further point starts.
 *
 * <p>Points are numbered as they start, out of the most the plan can still train ({@code point
 * 5/≤30}): the grid points plus each search's {@link FrontierSearch#maxProbes}; the bound falls as
 * probes are reused and searches end early.
 */
final class SearchScheduler implements PointScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(SearchScheduler.class);

  private final int concurrency;
  private final Map<String, Boolean> committed;
  private final IntConsumer onFewer;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger bound = new AtomicInteger();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final Set<String> probed = ConcurrentHashMap.newKeySet();
  private final AtomicInteger reused = new AtomicInteger();

  /**
   * @param committed whether each probe the run already committed reached the target, by point id
   * @param fewer told how many fewer points than announced can still train, as the bound falls
   */
  SearchScheduler(int concurrency, Map<String, Boolean> committed, IntConsumer fewer) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, found " + concurrency);
    }
    this.concurrency = concurrency;
    this.committed = Map.copyOf(committed);
    this.onFewer = fewer;
  }

  /**
   * Runs {@code task} for the grid points of {@code points} and the probes of its searches (the
   * frontier points, grouped by {@link SweepPoint#searchKey()}).
   */
  @Override
  public void run(List<PlannedPoint> points, Task task) {
    List<Unit> units = units(points);
    bound.set(SweepPlan.maxPoints(points.stream().map(PlannedPoint::point).toList()));
    int searches = (int) units.stream().filter(u -> u.search != null).count();
    PoolScheduler.runAll(
        concurrency,
        units,
        u -> {
          if (u.search == null) {
            start(u.candidates.get(0), task);
          } else {
            search(u, searches, task);
          }
        });
  }

  /** The ids of every probe the searches made (trained now or reused), and the grid points run. */
  Set<String> probed() {
    return Collections.unmodifiableSet(probed);
  }

  /** How many probes came from the table instead of being trained. */
  int reused() {
    return reused.get();
  }

  /** Runs one search to its end, or until some point of the run failed. */
  private void search(Unit u, int of, Task task) {
    FrontierSearch search = u.search;
    String tag = "search " + u.number + "/" + of;
    String label = u.label();
    int maxProbes = FrontierSearch.maxProbes(u.candidates.size());
    LOG.info("{} [{}]: at most {} probes", tag, label, maxProbes);
    int probes = 0;
    for (OptionalInt lag = search.next(); lag.isPresent(); lag = search.next()) {
      if (failed.get()) {
        return;
      }
      PlannedPoint candidate = u.at(lag.getAsInt());
      String id = candidate.point().id();
      Boolean before = committed.get(id);
      boolean reached;
      if (before != null) {
        reached = before;
        reused.incrementAndGet();
        fewer(1);
        LOG.info(
            "{} [{}]: lag {} already committed ({}), reused",
            tag,
            label,
            lag.getAsInt(),
            reached ? "reached the target" : "did not reach the target");
      } else {
        ResultRow row = start(candidate, task);
        reached = row.outcome().windowsToTarget() != null;
      }
      probed.add(id);
      probes++;
      search.record(lag.getAsInt(), reached);
    }
    fewer(maxProbes - probes);
    LagFrontier found = search.frontier();
    LOG.info("{} [{}]: {} after {} probes", tag, label, found.describe(), probes);
    if (!found.monotone()) {
      LOG.warn(
          "{} [{}]: probes contradict monotonicity: lags {} failed below lag {}, which reached the"
              + " target",
          tag,
          label,
          found.contradictions(),
          found.reached());
    }
  }

  private void fewer(int n) {
    if (n > 0) {
      bound.addAndGet(-n);
      onFewer.accept(n);
    }
  }

  /** Runs one point, numbered as it starts; a failure stops the searches' next probes. */
  private ResultRow start(PlannedPoint p, Task task) {
    PlannedPoint numbered =
        new PlannedPoint(p.point(), started.getAndIncrement(), bound.get(), p.saveModel(), true);
    try {
      ResultRow row = task.run(numbered);
      probed.add(p.point().id());
      return row;
    } catch (RuntimeException | Error e) {
      failed.set(true);
      throw e;
    }
  }

  /** The grid points, one unit each, and the frontier points grouped into searches, in order. */
  private static List<Unit> units(List<PlannedPoint> points) {
    Map<String, List<PlannedPoint>> groups = new LinkedHashMap<>();
    for (PlannedPoint p : points) {
      SweepPoint point = p.point();
      String key = point.lagSearch() == LagSearch.GRID ? point.id() : point.searchKey();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
    }
    List<Unit> units = new ArrayList<>();
    int searches = 0;
    for (List<PlannedPoint> group : groups.values()) {
      if (group.get(0).point().lagSearch() == LagSearch.GRID) {
        units.add(new Unit(group, null, 0));
      } else {
        List<PlannedPoint> byLag = new ArrayList<>(group);
        byLag.sort(Comparator.comparingInt(p -> p.point().lag()));
        FrontierSearch search =
            new FrontierSearch(byLag.stream().map(p -> p.point().lag()).toList());
        units.add(new Unit(byLag, search, ++searches));
      }
    }
    return units;
  }

  /**
   * A grid point ({@code search} null), or a search with its candidates by lag.
   *
   * @param candidates the grid point, or every point of the search's range, by lag
   * @param number the search's number in the plan, from 1 (0 for a grid point)
   */
  private record Unit(List<PlannedPoint> candidates, FrontierSearch search, int number) {
    PlannedPoint at(int lag) {
      for (PlannedPoint p : candidates) {
        if (p.point().lag() == lag) {
          return p;
        }
      }
      throw new IllegalArgumentException("lag " + lag + " is not in the search's range");
    }

    /** E.g. {@code stateful variant=stateful window=5 hidden=50 seed=2, lags 0-24}. */
    String label() {
      return new SweepPlan.Search(candidates.stream().map(PlannedPoint::point).toList()).label();
    }
  }
}
