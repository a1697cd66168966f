package io.echolstm.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** A fixed-width terminal table of result rows, as read back from the results table. */
public final class SummaryTable {
  private static final String[] HEADERS = {
    "experiment",
    "variant",
    "lag",
    "window",
    "hidden",
    "accuracy",
    "reachable",
    "chance",
    "loss",
    "epochs",
    "stopped",
    "to_target",
    "train_win",
    "train_s",
    "win/s",
    "control"
  };

  private static final String[] CONFIGURATION_HEADERS = {
    "experiment",
    "variant",
    "lag",
    "window",
    "hidden",
    "seeds",
    "accuracy",
    "reachable",
    "chance",
    "loss",
    "stopped",
    "to_target",
    "control"
  };

  private static final String[] FRONTIER_HEADERS = {
    "experiment",
    "variant",
    "window",
    "hidden",
    "seeds",
    "reached",
    "accuracy_reached",
    "failed",
    "accuracy_failed",
    "probes"
  };

  private SummaryTable() {}

  /**
   * Rows must carry the results-table columns. One line per row, in the order given, when every
   * configuration (rows that differ only in their seed) has one row; otherwise one line per
   * configuration, with each metric's mean, 95 % interval and n ({@code 0.9969 ± 0.0012 (n=5)}).
   * Probes of frontier searches add a table of the frontiers found.
   */
  public static String format(List<Row> rows) {
    List<PointResult> points = rows.stream().map(PointResult::of).toList();
    List<Configuration> configurations = Configuration.of(points);
    StringBuilder out = new StringBuilder();
    if (configurations.stream().allMatch(c -> c.n() == 1)) {
      out.append(pointTable(rows));
    } else {
      out.append(configurationTable(configurations));
    }
    List<Frontier> frontiers = Frontier.of(points);
    if (!frontiers.isEmpty()) {
      out.append('\n').append(frontierTable(frontiers));
    }
    return out.toString();
  }

  private static String pointTable(List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADERS);
    for (Row r : rows) {
      cells.add(
          new String[] {
            r.getAs("experiment"),
            r.getAs("variant"),
            String.valueOf((Integer) r.getAs("lag")),
            String.valueOf((Integer) r.getAs("window")),
            String.valueOf((Integer) r.getAs("hidden")),
            fixed(r.getAs("accuracy"), 4),
            fixed(r.getAs("reachable_accuracy"), 4),
            fixed(r.getAs("chance_accuracy"), 4),
            fixed(r.getAs("loss"), 4),
            String.valueOf((Integer) r.getAs("epochs")),
            r.getAs("stop_reason") == null ? "-" : r.getAs("stop_reason"),
            r.getAs("windows_to_target") == null
                ? "-"
                : String.valueOf((Long) r.getAs("windows_to_target")),
            String.valueOf((Long) r.getAs("train_windows")),
            fixed(r.getAs("train_seconds"), 1),
            fixed(r.getAs("windows_per_second"), 0),
            Boolean.TRUE.equals(r.getAs("control")) ? "yes" : "no"
          });
    }
    return align(cells);
  }

  /** One line per configuration, each metric as mean ± interval (n). */
  private static String configurationTable(List<Configuration> configurations) {
    List<String[]> cells = new ArrayList<>();
    cells.add(CONFIGURATION_HEADERS);
    for (Configuration c : configurations) {
      PointResult p = c.first();
      List<String> line = new ArrayList<>(pointCells(p));
      line.addAll(c.figures());
      line.add(c.stopped());
      line.add(c.interval(PointResult::windowsToTarget).format(0));
      line.add(p.control() ? "yes" : "no");
      cells.add(line.toArray(String[]::new));
    }
    return align(cells);
  }

  /**
   * One line per frontier: its largest lag reached and the test accuracy there, the smallest lag
   * that failed above it and the test accuracy there (over several seeds: mean ± interval (n)), the
   * probes made; then a line for each search whose figures need a word (none reached, the top of
   * the range reached, non-monotone probes).
   */
  private static String frontierTable(List<Frontier> frontiers) {
    List<String[]> cells = new ArrayList<>();
    cells.add(FRONTIER_HEADERS);
    List<String> notes = new ArrayList<>();
    for (Frontier f : frontiers) {
      PointResult p = f.first();
      List<String> line = new ArrayList<>(searchCells(p));
      line.addAll(f.figures());
      cells.add(line.toArray(String[]::new));
      for (String note : f.notes()) {
        notes.add(
            "  "
                + p.experiment()
                + " variant="
                + p.variant()
                + " window="
                + p.window()
                + " hidden="
                + p.hidden()
                + ": "
                + note
                + "\n");
      }
    }
    return "frontier (sweep.lag-search=frontier): per seed, the largest lag whose point reached"
        + " train.target-accuracy on validation and the smallest above it that failed, with their"
        + " test accuracy\n"
        + align(cells)
        + String.join("", notes);
  }

  /** Cells as a table: the first two columns left-aligned, the others right-aligned. */
  private static String align(List<String[]> cells) {
    int[] widths = new int[cells.get(0).length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int l = 0; l < cells.size(); l++) {
      String[] line = cells.get(l);
      for (int i = 0; i < line.length; i++) {
        String pad = " ".repeat(widths[i] - line[i].length());
        out.append(i < 2 ? line[i] + pad : pad + line[i]);
        out.append(i + 1 < line.length ? "  " : "\n");
      }
      if (l == 0) {
        int total = 0;
        for (int w : widths) {
          total += w + 2;
        }
        out.append("-".repeat(total - 2)).append('\n');
      }
    }
    return out.toString();
  }

  /** A value as a table shows it, "-" for null (the terminal and HTML tables). */
  static String dash(Object o) {
    return o == null ? "-" : o.toString();
  }

  /** The cells that name a point or a configuration: experiment, variant, lag, window, hidden. */
  static List<String> pointCells(PointResult p) {
    return List.of(
        dash(p.experiment()), dash(p.variant()), dash(p.lag()), dash(p.window()), dash(p.hidden()));
  }

  /** The cells that name a frontier search: experiment, variant, window, hidden (no lag). */
  static List<String> searchCells(PointResult p) {
    return List.of(dash(p.experiment()), dash(p.variant()), dash(p.window()), dash(p.hidden()));
  }

  /** A number with {@code decimals} decimals, "-" for null (the terminal and HTML tables). */
  static String fixed(Object value, int decimals) {
    if (value == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", ((Number) value).doubleValue());
  }
}
