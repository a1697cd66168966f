package io.echolstm.results;

import io.echolstm.config.Setting;
import io.echolstm.config.Settings;
import java.util.ArrayList;
import java.util.List;
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

  public static final StructType SCHEMA = schema();

  /** The provenance columns ({@code master}, versions, platform), in table order. */
  public static final List<String> PROVENANCE_COLUMNS =
      RecordColumns.fields(Provenance.class).stream().map(StructField::name).toList();

  private ResultsSchema() {}

  private static StructType schema() {
    List<StructField> fields = new ArrayList<>(RecordColumns.fields(PointIdentity.class));
    for (Setting<?> s : Settings.perPoint()) {
      fields.add(
          DataTypes.createStructField(
              s.column().orElseThrow(), RecordColumns.sqlType(s.columnType()), true));
    }
    fields.addAll(RecordColumns.fields(PointOutcome.class));
    fields.addAll(RecordColumns.fields(Provenance.class));
    return DataTypes.createStructType(fields);
  }
}
