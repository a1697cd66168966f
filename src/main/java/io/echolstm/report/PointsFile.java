package io.echolstm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolstm.results.ResultsSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * The rows a report shows, for scripts: {@value #NAME} beside the page, JSON Lines, one object per
 * row of the results table with every column the row has, in the page's order. {@code history} is
 * an array of objects, timestamps are ISO-8601 UTC text ({@code 2026-11-30T04:57:00.123Z}), a null
 * (or non-finite) value is {@code null}. Python's {@code json} module, {@code jq} or DuckDB's
 * {@code read_json} read it; no Parquet reader needed.
 */
public final class PointsFile {
  public static final String NAME = "points.jsonl";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PointsFile() {}

  /**
   * Writes the rows of {@code points}, picked from {@code rows} by run and point id, into {@code
   * out} (created if missing; a file of the same name is replaced).
   *
   * @return the file's path
   */
  public static Path write(List<Row> rows, List<PointResult> points, Path out) {
    Map<List<Object>, Row> byPoint = new HashMap<>();
    for (Row r : rows) {
      byPoint.put(Arrays.asList(r.getAs(ResultsSchema.RUN_ID), r.getAs(ResultsSchema.POINT_ID)), r);
    }
    Path file = out.resolve(NAME);
    try {
      StringBuilder lines = new StringBuilder();
      for (PointResult p : points) {
        Row row = byPoint.get(Arrays.asList(p.runId(), p.pointId()));
        lines.append(MAPPER.writeValueAsString(object(row))).append('\n');
      }
      Files.createDirectories(out);
      Report.replace(file, lines.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static ObjectNode object(Row row) {
    ObjectNode o = NODES.objectNode();
    StructField[] fields = row.schema().fields();
    for (int i = 0; i < fields.length; i++) {
      Object v = row.isNullAt(i) ? null : row.get(i);
      if (v != null && fields[i].dataType() instanceof ArrayType) {
        v = row.getList(i);
      }
      o.set(fields[i].name(), value(v));
    }
    return o;
  }

  private static JsonNode value(Object v) {
    if (v instanceof Row r) {
      return object(r);
    } else if (v instanceof List<?> list) {
      ArrayNode a = NODES.arrayNode();
      list.forEach(e -> a.add(value(e)));
      return a;
    } else if (v instanceof Timestamp t) {
      return NODES.textNode(t.toInstant().toString());
    } else if (v instanceof Double d) {
      return Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
    } else if (v instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (v instanceof Long l) {
      return NODES.numberNode(l);
    } else if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    return v == null ? NODES.nullNode() : NODES.textNode(v.toString());
  }
}
