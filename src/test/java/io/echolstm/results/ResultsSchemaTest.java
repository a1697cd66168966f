package io.echolstm.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.testing.Readme;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** The README's results table is generated from the columns' definitions, one row per column. */
class ResultsSchemaTest {
  @Test
  void readmeResultsTableIsGeneratedFromTheColumns() throws IOException {
    assertEquals(
        ResultsSchema.markdownTable(),
        Readme.section("results-table"),
        "README.md's results table drifted from the columns (results/*.java and"
            + " config/Settings.java); paste ResultsSchema.markdownTable()");
  }

  @Test
  void theTableHasOneRowPerColumnInTableOrder() {
    List<String> rows = ResultsSchema.markdownTable().lines().skip(2).toList();
    List<String> names =
        Arrays.stream(ResultsSchema.SCHEMA.fields()).map(StructField::name).toList();
    assertEquals(names.size(), rows.size());
    for (int i = 0; i < names.size(); i++) {
      String row = rows.get(i);
      assertTrue(row.startsWith("| `" + names.get(i) + "` | "), row);
      assertTrue(row.endsWith(" |") && !row.endsWith("|  |"), "no meaning: " + row);
    }
    assertTrue(rows.contains("| `seed` | bigint | setting `seed` |"), String.join("\n", rows));
    assertTrue(rows.stream().anyMatch(r -> r.startsWith("| `history` | array of struct | ")));
  }

  /** A column without its meaning cannot reach the table. */
  @Test
  void aColumnWithoutADocIsRefused() {
    record Undocumented(@ColumnDoc("documented") int a, int b) {}
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RecordColumns.documented(Undocumented.class));
    assertTrue(e.getMessage().contains("Undocumented.b has no @ColumnDoc"), e.getMessage());
  }
}
