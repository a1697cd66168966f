package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.results.ResultsSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
  private static Row row(int lag, Double reachable, Long toTarget) {
    return row(lag, 42, "grid", 0.25, reachable, toTarget);
  }

  private static Row row(
      int lag, long seed, String lagSearch, double accuracy, Double reachable, Long toTarget) {
    Object[] values = new Object[ResultsSchema.SCHEMA.size()];
    values[ResultsSchema.SCHEMA.fieldIndex("run_id")] = "r";
    values[ResultsSchema.SCHEMA.fieldIndex("point_id")] = "p" + lag + "-" + seed;
    values[ResultsSchema.SCHEMA.fieldIndex("experiment")] = "echo-lag";
    values[ResultsSchema.SCHEMA.fieldIndex("variant")] = "seq2seq";
    values[ResultsSchema.SCHEMA.fieldIndex("lag")] = lag;
    values[ResultsSchema.SCHEMA.fieldIndex("window")] = 5;
    values[ResultsSchema.SCHEMA.fieldIndex("hidden")] = 50;
    values[ResultsSchema.SCHEMA.fieldIndex("seed")] = seed;
    values[ResultsSchema.SCHEMA.fieldIndex("lag_search")] = lagSearch;
    values[ResultsSchema.SCHEMA.fieldIndex("accuracy")] = accuracy;
    values[ResultsSchema.SCHEMA.fieldIndex("reachable_accuracy")] = reachable;
    values[ResultsSchema.SCHEMA.fieldIndex("chance_accuracy")] = 0.01;
    values[ResultsSchema.SCHEMA.fieldIndex("loss")] = 3.5;
    values[ResultsSchema.SCHEMA.fieldIndex("epochs")] = 4;
    values[ResultsSchema.SCHEMA.fieldIndex("windows_to_target")] = toTarget;
    values[ResultsSchema.SCHEMA.fieldIndex("stop_reason")] =
        toTarget == null ? "plateau" : "target";
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

  /**
   * Replicates (rows that differ only in their seed) make one line per configuration: mean ±
   * interval (n) of each metric, worked out by hand in {@code IntervalTest}.
   */
  @Test
  void replicatesAreOneLinePerConfigurationWithIntervals() {
    List<Row> rows = new ArrayList<>();
    double[] accuracies = {0.9969, 0.9981, 0.9957, 0.9974, 0.9990};
    for (int s = 0; s < 5; s++) {
      rows.add(
          row(4, s + 1, "grid", accuracies[s], accuracies[s], s < 2 ? 1000L + s * 2000 : null));
    }
    rows.add(row(5, 1, "grid", 0.01, null, null));
    rows.add(row(5, 2, "grid", 0.01, null, null));
    String table = SummaryTable.format(rows);
    List<String> lines = table.lines().toList();
    assertEquals(4, lines.size(), table);
    assertTrue(lines.get(0).contains(" seeds "), table);
    String lag4 = lines.get(2);
    assertTrue(lag4.contains("0.9974 ± 0.0015 (n=5)"), lag4);
    assertTrue(lag4.contains("plateau 3, target 2"), lag4);
    assertTrue(lag4.contains("2000 ± 12706 (n=2)"), lag4);
    assertTrue(lines.get(3).contains("0.0100 ± 0.0000 (n=2)"), lines.get(3));
    assertTrue(lines.get(3).contains(" - "), "no reachable labels: " + lines.get(3));
  }

  /**
   * Probes of frontier searches add the frontier table: one line per configuration, its largest lag
   * reached and smallest failed, with the test accuracy at both; a contradiction is named.
   */
  @Test
  void probesAddTheFrontiers() {
    List<Row> probes =
        List.of(
            row(0, 42, "frontier", 1.0, 1.0, 500L),
            row(1, 42, "frontier", 0.998, 0.998, 800L),
            row(3, 42, "frontier", 0.4, 0.4, null),
            row(7, 42, "frontier", 0.995, 0.995, 900L),
            row(9, 42, "frontier", 0.2, 0.2, null),
            row(8, 42, "frontier", 0.3, 0.3, null));
    String table = SummaryTable.format(probes);
    int at = table.indexOf("frontier (sweep.lag-search=frontier): per seed, the largest lag");
    assertTrue(at > 0, table);
    List<String> lines = table.substring(at).lines().toList();
    assertTrue(
        lines.get(1).contains(" reached  accuracy_reached  failed  accuracy_failed "), table);
    assertTrue(
        lines.get(3).matches("echo-lag +seq2seq +5 +50 +1 +7 +0\\.9950 +8 +0\\.3000 +6"), table);
    assertEquals(
        "  echo-lag variant=seq2seq window=5 hidden=50: non-monotone: lag 3 failed below lag 7",
        lines.get(4));

    List<Row> replicated = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      int reached = (int) seed + 1; // 2, 3, 4
      for (int lag = 0; lag <= 6; lag++) {
        boolean ok = lag <= reached;
        replicated.add(row(lag, seed, "frontier", ok ? 1.0 : 0.1, ok ? 1.0 : 0.1, ok ? 9L : null));
      }
    }
    String three = SummaryTable.format(replicated);
    String line = three.substring(three.indexOf("frontier (")).lines().toList().get(3);
    // reached 2, 3, 4: mean 3.00 ± 2.48 (n=3), as in IntervalTest; failed 3, 4, 5
    assertTrue(line.contains("3.00 ± 2.48 (n=3)") && line.contains("4.00 ± 2.48 (n=3)"), three);
  }
}
