package io.echolstm.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the results table as the report uses it. Columns are read by name and a column the row
 * does not have (a table written by an older version) reads as null, so the report draws what the
 * table holds.
 *
 * @param columns every column but {@code history}, as display text ({@code null} when absent or
 *     null), in the table's order: the source of the provenance tables
 */
public record PointResult(
    String runId,
    String pointId,
    String experiment,
    String variant,
    boolean control,
    Integer lag,
    Integer window,
    Integer hidden,
    Integer values,
    Double accuracy,
    Double reachableAccuracy,
    Double loss,
    Double chanceAccuracy,
    Long trainWindows,
    Double trainSeconds,
    Double windowsPerSecond,
    Double targetAccuracy,
    Long windowsToTarget,
    Double secondsToTarget,
    String stopReason,
    Instant endedAt,
    List<Evaluation> history,
    Map<String, String> columns) {

  /** One entry of the {@code history} column: a validation evaluation during training. */
  public record Evaluation(
      Integer epoch,
      Long trainWindows,
      Double trainSeconds,
      Double accuracy,
      Double reachableAccuracy,
      Double loss) {}

  public PointResult {
    history = List.copyOf(history);
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /** Reads a row of the results table (any version of its schema). */
  public static PointResult of(Row row) {
    List<Evaluation> history = new ArrayList<>();
    Object h = get(row, "history");
    if (h != null) {
      for (Object e : row.getList(row.fieldIndex("history"))) {
        Row entry = (Row) e;
        history.add(
            new Evaluation(
                number(get(entry, "epoch"), Integer.class),
                number(get(entry, "train_windows"), Long.class),
                number(get(entry, "train_seconds"), Double.class),
                number(get(entry, "accuracy"), Double.class),
                number(get(entry, "reachable_accuracy"), Double.class),
                number(get(entry, "loss"), Double.class)));
      }
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (String name : fieldNames(row)) {
      if (!name.equals("history")) {
        columns.put(name, text(get(row, name)));
      }
    }
    return new PointResult(
        text(get(row, "run_id")),
        text(get(row, "point_id")),
        text(get(row, "experiment")),
        text(get(row, "variant")),
        Boolean.TRUE.equals(get(row, "control")),
        number(get(row, "lag"), Integer.class),
        number(get(row, "window"), Integer.class),
        number(get(row, "hidden"), Integer.class),
        number(get(row, "values"), Integer.class),
        number(get(row, "accuracy"), Double.class),
        number(get(row, "reachable_accuracy"), Double.class),
        number(get(row, "loss"), Double.class),
        number(get(row, "chance_accuracy"), Double.class),
        number(get(row, "train_windows"), Long.class),
        number(get(row, "train_seconds"), Double.class),
        number(get(row, "windows_per_second"), Double.class),
        number(get(row, "target_accuracy"), Double.class),
        number(get(row, "windows_to_target"), Long.class),
        number(get(row, "seconds_to_target"), Double.class),
        text(get(row, "stop_reason")),
        instant(get(row, "ended_at")),
        history,
        columns);
  }

  /** A short name of the point's settings, e.g. {@code stateless lag 2, window 5, hidden 50}. */
  public String label() {
    return (variant == null ? "" : variant + " ")
        + "lag "
        + show(lag)
        + ", window "
        + show(window)
        + ", hidden "
        + show(hidden);
  }

  /** The point's seed as the table holds it (null: not recorded). */
  public String seed() {
    return columns.get("seed");
  }

  /** True when the point is a probe of a frontier search ({@code lag_search = frontier}). */
  public boolean probe() {
    return "frontier".equals(columns.get("lag_search"));
  }

  /** True when the point reached its target accuracy on validation ({@code windows_to_target}). */
  public boolean reachedTarget() {
    return windowsToTarget != null;
  }

  /** The chance accuracy: the column when present, else 1 / values, else null. */
  public Double chance() {
    if (chanceAccuracy != null) {
      return chanceAccuracy;
    }
    return values == null || values <= 0 ? null : 1.0 / values;
  }

  private static String show(Object o) {
    return o == null ? "?" : o.toString();
  }

  private static List<String> fieldNames(Row row) {
    StructType schema = row.schema();
    return schema == null ? List.of() : Arrays.asList(schema.fieldNames());
  }

  private static Object get(Row row, String name) {
    if (!fieldNames(row).contains(name)) {
      return null;
    }
    int i = row.fieldIndex(name);
    return row.isNullAt(i) ? null : row.get(i);
  }

  private static <T extends Number> T number(Object o, Class<T> type) {
    if (o == null) {
      return null;
    }
    Number n = (Number) o;
    // if/else, not ?: (a conditional of boxed types unboxes and widens them all to double)
    if (type == Integer.class) {
      return type.cast(n.intValue());
    } else if (type == Long.class) {
      return type.cast(n.longValue());
    }
    return type.cast(n.doubleValue());
  }

  private static Instant instant(Object o) {
    if (o instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    return o instanceof Instant i ? i : null;
  }

  private static String text(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (o instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? String.valueOf(d.longValue())
          : String.format(Locale.ROOT, "%.6g", d).replaceAll("\\.?0+$", "");
    }
    return o.toString();
  }
}
