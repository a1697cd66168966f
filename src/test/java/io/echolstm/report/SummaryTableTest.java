package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.results.ResultsSchema;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
  private static Row row(int lag, Double reachable, Long toTarget) {
    Object[] values = new Object[ResultsSchema.SCHEMA.size()];
    values[ResultsSchema.SCHEMA.fieldIndex("experiment")] = "echo-lag";
    values[ResultsSchema.SCHEMA.fieldIndex("variant")] = "seq2seq";
    values[ResultsSchema.SCHEMA.fieldIndex("lag")] = lag;
    values[ResultsSchema.SCHEMA.fieldIndex("window")] = 5;
    values[ResultsSchema.SCHEMA.fieldIndex("hidden")] = 50;
    values[ResultsSchema.SCHEMA.fieldIndex("accuracy")] = 0.25;
    values[ResultsSchema.SCHEMA.fieldIndex("reachable_accuracy")] = reachable;
    values[ResultsSchema.SCHEMA.fieldIndex("chance_accuracy")] = 0.01;
    values[ResultsSchema.SCHEMA.fieldIndex("loss")] = 3.5;
    values[ResultsSchema.SCHEMA.fieldIndex("epochs")] = 4;
    values[ResultsSchema.SCHEMA.fieldIndex("windows_to_target")] = toTarget;
    values[ResultsSchema.SCHEMA.fieldIndex("stop_reason")] = toTarget == null ? null : "target";
    values[ResultsSchema.SCHEMA.fieldIndex("train_windows")] = 1000L;
    values[ResultsSchema.SCHEMA.fieldIndex("train_seconds")] = 12.34;
    values[ResultsSchema.SCHEMA.fieldIndex("windows_per_second")] = 324.1;
    values[ResultsSchema.SCHEMA.fieldIndex("control")] = lag >= 5;
    return new GenericRowWithSchema(values, ResultsSchema.SCHEMA);
  }

  @Test
  void oneAlignedLinePerRowWithNullsAsDashes() {
    String table = SummaryTable.format(List.of(row(4, 1.0, 2000L), row(5, null, null)));
    List<String> lines = table.lines().toList();
    assertEquals(4, lines.size(), table);
    assertTrue(lines.get(0).startsWith("experiment"), table);
    assertTrue(lines.get(2).contains("1.0000") && lines.get(2).contains("2000"), table);
    assertTrue(lines.get(0).contains("stopped") && lines.get(2).contains(" target "), table);
    assertTrue(lines.get(3).contains(" - ") && lines.get(3).endsWith("yes"), table);
    assertEquals(lines.get(0).length(), lines.get(2).length(), table);
  }
}
