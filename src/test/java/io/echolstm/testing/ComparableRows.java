package io.echolstm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Results-table rows as plain maps without the columns that measure time, so two runs of the same
 * sweep (again, on another master, several points at once) can be compared for equality.
 */
public final class ComparableRows {
  private ComparableRows() {}

  /**
   * Fields that measure time, not results, at any nesting level ({@code history} entries carry
   * {@code train_seconds} too); and the run id, which differs on purpose.
   */
  public static final Set<String> NOT_COMPARED =
      Set.of(
          "run_id",
          "train_seconds",
          "prepare_seconds",
          "validation_seconds",
          "test_seconds",
          "windows_per_second",
          "seconds_to_target",
          "started_at",
          "ended_at");

  /**
   * The column naming a saved model's file, whose path holds the run id: compared with the run id
   * replaced by {@code RUN}, so the rows of two runs agree when they saved the same points.
   */
  public static final String MODEL_PATH = "model_path";

  /** The rows of one run by point id, each as column -> value with the timing fields dropped. */
  public static Map<String, Map<String, Object>> byPoint(List<Row> rows, String runId) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Row row : rows) {
      if (runId.equals(row.getAs("run_id"))) {
        Map<String, Object> comparable = comparable(row);
        if (comparable.get(MODEL_PATH) instanceof String path) {
          comparable.put(MODEL_PATH, path.replace("/run_id=" + runId + "/", "/run_id=RUN/"));
        }
        Map<String, Object> previous = out.put(row.getAs("point_id"), comparable);
        assertEquals(null, previous, "two rows for one point in run " + runId);
      }
    }
    return out;
  }

  private static Map<String, Object> comparable(Row row) {
    Map<String, Object> out = new LinkedHashMap<>();
    StructField[] fields = row.schema().fields();
    for (int i = 0; i < fields.length; i++) {
      if (!NOT_COMPARED.contains(fields[i].name())) {
        out.put(fields[i].name(), row.isNullAt(i) ? null : value(row, i, fields[i].dataType()));
      }
    }
    return out;
  }

  private static Object value(Row row, int i, DataType type) {
    if (type instanceof StructType) {
      return comparable(row.getStruct(i));
    }
    if (type instanceof ArrayType array && array.elementType() instanceof StructType) {
      List<Object> out = new ArrayList<>();
      for (Object element : row.getList(i)) {
        out.add(element == null ? null : comparable((Row) element));
      }
      return out;
    }
    if (type instanceof ArrayType) {
      return new ArrayList<>(row.getList(i));
    }
    return row.get(i);
  }
}
