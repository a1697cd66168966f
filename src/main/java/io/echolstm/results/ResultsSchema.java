package io.echolstm.results;

import io.echolstm.config.Setting;
import io.echolstm.config.Settings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The results table's columns, derived from what a {@link ResultRow} is made of: the point's
 * identity, one column per declared per-point setting (in declaration order), the outcome's metrics
 * and the provenance. The table is partitioned by {@code run_id} and {@code point_id} (Hive-style
 * directories), one Parquet file per trained point.
 */
public final class ResultsSchema {
  public static final String RUN_ID = "run_id";
  public static final String POINT_ID = "point_id";

  /** One evaluation during training; see {@link HistoryEntry}. */
  public static final StructType HISTORY_ENTRY = RecordColumns.struct(HistoryEntry.class);

  /** Every column with its meaning, in table order. */
  private static final List<RecordColumns.Documented> COLUMNS = columns();

  public static final StructType SCHEMA =
      DataTypes.createStructType(COLUMNS.stream().map(RecordColumns.Documented::field).toList());

  /** The provenance columns ({@code master}, versions, platform), in table order. */
  public static final List<String> PROVENANCE_COLUMNS =
      RecordColumns.fields(Provenance.class).stream().map(StructField::name).toList();

  private ResultsSchema() {}

  private static List<RecordColumns.Documented> columns() {
    List<RecordColumns.Documented> columns =
        new ArrayList<>(RecordColumns.documented(PointIdentity.class));
    for (Setting<?> s : Settings.perPoint()) {
      columns.add(
          new RecordColumns.Documented(
              DataTypes.createStructField(
                  s.column().orElseThrow(), RecordColumns.sqlType(s.columnType()), true),
              "setting `" + s.key() + "`"));
    }
    columns.addAll(RecordColumns.documented(PointOutcome.class));
    columns.addAll(RecordColumns.documented(Provenance.class));
    return List.copyOf(columns);
  }

  /** The README's results table (Markdown): one row per column, in table order. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder("| column | type | meaning |\n|---|---|---|\n");
    for (RecordColumns.Documented c : COLUMNS) {
      out.append("| `")
          .append(c.field().name())
          .append("` | ")
          .append(typeName(c.field().dataType()))
          .append(" | ")
          .append(c.doc())
          .append(" |\n");
    }
    return out.toString();
  }

  /** Spark SQL's name of a type, with a list of structs as {@code array of struct}. */
  private static String typeName(DataType type) {
    if (type instanceof ArrayType array) {
      return "array of " + typeName(array.elementType());
    }
    return type instanceof StructType ? "struct" : type.simpleString();
  }
}
