package io.echolstm.report;

import io.echolstm.results.LagFrontier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A configuration's frontier ({@code sweep.lag-search=frontier}), read back from its probes: one
 * search per seed, each the largest lag whose point reached the target accuracy on validation and
 * the smallest lag above it that failed ({@link LagFrontier}), with the test accuracy of the probes
 * at both; over the seeds, their means and intervals.
 *
 * @param searches one per seed, in the order of their first probe
 */
record Frontier(List<Frontier.Search> searches) {
  /**
   * One seed's search.
   *
   * @param probes its probes (one per lag probed)
   * @param found what they found
   */
  record Search(List<PointResult> probes, LagFrontier found) {
    /** The probe at {@code lag}, or null. */
    PointResult at(Integer lag) {
      if (lag == null) {
        return null;
      }
      return probes.stream().filter(p -> lag.equals(p.lag())).findFirst().orElse(null);
    }

    /** The test accuracy of the probe at the largest lag reached (null: none reached). */
    Double accuracyReached() {
      PointResult p = at(found.reached());
      return p == null ? null : p.accuracy();
    }

    /** The test accuracy of the probe at the smallest lag that failed above it (null: none). */
    Double accuracyFailed() {
      PointResult p = at(found.failed());
      return p == null ? null : p.accuracy();
    }

    String seed() {
      return probes.get(0).seed();
    }
  }

  Frontier {
    searches = List.copyOf(searches);
  }

  /**
   * The frontiers of the probes among {@code points}, in the order of their first probe: probes of
   * one run and of equal settings but for the lag form a search, and searches that differ only in
   * their seed form a frontier.
   */
  static List<Frontier> of(List<PointResult> points) {
    Map<String, Map<String, List<PointResult>>> groups = new LinkedHashMap<>();
    for (PointResult p : points) {
      if (p.probe() && p.lag() != null) {
        groups
            .computeIfAbsent(
                Configuration.key(p, Set.of("lag", Configuration.SEED)), k -> new LinkedHashMap<>())
            .computeIfAbsent(Configuration.key(p, Set.of("lag")), k -> new ArrayList<>())
            .add(p);
      }
    }
    List<Frontier> out = new ArrayList<>();
    for (Map<String, List<PointResult>> bySeed : groups.values()) {
      List<Search> searches = new ArrayList<>();
      for (List<PointResult> probes : bySeed.values()) {
        Map<Integer, Boolean> outcomes = new TreeMap<>();
        probes.forEach(p -> outcomes.put(p.lag(), p.reachedTarget()));
        searches.add(new Search(List.copyOf(probes), LagFrontier.of(outcomes)));
      }
      out.add(new Frontier(searches));
    }
    return out;
  }

  /** The first probe: its settings, lag and seed aside, are the frontier's. */
  PointResult first() {
    return searches.get(0).probes().get(0);
  }

  /** The mean and interval over the seeds of {@code value} (a search without it is left out). */
  Interval interval(Function<Search, ? extends Number> value) {
    return Interval.of(searches.stream().map(value).toList());
  }

  /** The largest lag reached, over the seeds whose search reached one. */
  Interval reached() {
    return interval(s -> s.found().reached());
  }

  /** The smallest lag that failed above it, over the seeds whose search had one. */
  Interval failed() {
    return interval(s -> s.found().failed());
  }

  /** Probes made, over all seeds. */
  int probes() {
    return searches.stream().mapToInt(s -> s.found().probes()).sum();
  }

  /**
   * The frontier as the summary and the report show it: the seeds, the largest lag reached and the
   * test accuracy there, the smallest lag failed above it and the test accuracy there, the probes;
   * for one seed its figures, for several their mean ± interval (n).
   */
  List<String> figures() {
    boolean one = searches.size() == 1;
    Search s = searches.get(0);
    return List.of(
        String.valueOf(searches.size()),
        one ? text(s.found().reached()) : reached().format(2),
        one
            ? SummaryTable.fixed(s.accuracyReached(), 4)
            : interval(Search::accuracyReached).format(4),
        one ? text(s.found().failed()) : failed().format(2),
        one
            ? SummaryTable.fixed(s.accuracyFailed(), 4)
            : interval(Search::accuracyFailed).format(4),
        String.valueOf(probes()));
  }

  private static String text(Integer lag) {
    return lag == null ? "-" : lag.toString();
  }

  /**
   * What the figures do not show, per seed when there are several: a search that reached no lag,
   * one that reached the top of what it probed (the frontier is at least that), one whose probes
   * contradict monotonicity. Empty when there is nothing to say.
   */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    for (Search s : searches) {
      String who = searches.size() > 1 ? "seed " + s.seed() + ": " : "";
      LagFrontier f = s.found();
      if (f.reached() == null) {
        notes.add(who + "no lag reached");
      } else if (f.failed() == null) {
        notes.add(
            who + "no probe above lag " + f.reached() + " failed: the frontier is at least it");
      }
      if (!f.monotone()) {
        notes.add(
            who
                + "non-monotone: lag"
                + (f.contradictions().size() > 1 ? "s " : " ")
                + String.join(", ", f.contradictions().stream().map(String::valueOf).toList())
                + " failed below lag "
                + f.reached());
      }
    }
    return notes;
  }
}
