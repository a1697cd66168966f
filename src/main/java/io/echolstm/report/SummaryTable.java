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

  private SummaryTable() {}

  /** Rows must carry the results-table columns; they are printed in the order given. */
  public static String format(List<Row> rows) {
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
    int[] widths = new int[HEADERS.length];
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

  /** A number with {@code decimals} decimals, "-" for null (the terminal and HTML tables). */
  static String fixed(Object value, int decimals) {
    if (value == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", ((Number) value).doubleValue());
  }
}
