package io.echolstm.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/** Picks the runs to report from the results table and reads their rows. */
public final class ReportRuns {
  private ReportRuns() {}

  /**
   * The rows of the named runs, or of the latest run when none is named, in a stable order (run,
   * experiment, variant, window, hidden, lag).
   *
   * @param table the results table's rows, collected
   * @param where the table's location, for messages
   * @throws ReportInputException when the table has no rows or a named run is not in it
   */
  public static List<PointResult> read(List<Row> table, List<String> runIds, String where) {
    return select(table.stream().map(PointResult::of).toList(), runIds, where);
  }

  /**
   * Refuses a report the table cannot give: no runs at all, or a named run it does not hold.
   *
   * @param known the table's run ids
   * @param where the table's location, for messages
   */
  public static void check(Collection<String> wanted, Set<String> known, String where) {
    if (known.isEmpty()) {
      throw new ReportInputException(
          "no results table in " + where + " (no run_id=*/point_id=*/*.parquet files)");
    }
    for (String id : wanted) {
      if (!known.contains(id)) {
        throw new ReportInputException(
            "run id '"
                + id
                + "' is not in the results table "
                + where
                + " (runs: "
                + list(known)
                + ")");
      }
    }
  }

  /** As {@link #read}, on rows already read. */
  static List<PointResult> select(List<PointResult> all, List<String> runIds, String where) {
    Set<String> known = new TreeSet<>();
    all.forEach(p -> known.add(p.runId()));
    check(runIds, known, where);
    Set<String> wanted = new LinkedHashSet<>(runIds);
    if (wanted.isEmpty()) {
      wanted.add(latest(all));
    }
    List<PointResult> picked = new ArrayList<>();
    for (PointResult p : all) {
      if (wanted.contains(p.runId())) {
        picked.add(p);
      }
    }
    List<String> order = new ArrayList<>(wanted);
    picked.sort(
        Comparator.<PointResult>comparingInt(p -> order.indexOf(p.runId()))
            .thenComparing(p -> nullsLast(p.experiment()))
            .thenComparing(p -> nullsLast(p.variant()))
            .thenComparing(p -> p.window() == null ? Integer.MAX_VALUE : p.window())
            .thenComparing(p -> p.hidden() == null ? Integer.MAX_VALUE : p.hidden())
            .thenComparing(p -> p.lag() == null ? Integer.MAX_VALUE : p.lag())
            .thenComparing(p -> nullsLast(p.pointId())));
    return picked;
  }

  /**
   * The run whose last point ended last; run ids break ties and stand in for rows with no end time
   * (the default run id is the UTC start time, which sorts in time order).
   */
  static String latest(List<PointResult> all) {
    Comparator<PointResult> byEnd =
        Comparator.comparing((PointResult p) -> p.endedAt() == null ? Instant.MIN : p.endedAt());
    return all.stream().max(byEnd.thenComparing(PointResult::runId)).orElseThrow().runId();
  }

  private static String nullsLast(String s) {
    return s == null ? "\uffff" : s;
  }

  private static String list(Set<String> ids) {
    List<String> shown = new ArrayList<>(ids).subList(0, Math.min(10, ids.size()));
    return String.join(", ", shown)
        + (ids.size() > 10 ? ", and " + (ids.size() - 10) + " more" : "");
  }
}
