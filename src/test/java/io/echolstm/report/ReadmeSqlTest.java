package io.echolstm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.results.ResultsSchema;
import io.echolstm.testing.Readme;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's DuckDB queries compute the figures the job shows: run on a table of replicates and
 * frontier probes (written by DuckDB in the table's layout), they agree with {@link Configuration}
 * and {@link Frontier} on the same rows.
 */
class ReadmeSqlTest {
  @TempDir Path dir;

  private final List<Row> rows = new ArrayList<>();

  /** A grid point replicated over three seeds, and frontier searches (two seeds, one odd one). */
  @BeforeEach
  void rows() {
    double[] accuracies = {0.9969, 0.9981, 0.9957};
    for (int s = 0; s < 3; s++) {
      rows.add(
          row(4, s + 1, "grid", accuracies[s], 0.1 + s / 10.0, s == 2 ? null : 1000L * (s + 1)));
      rows.add(row(5, s + 1, "grid", 0.01 + s / 1000.0, 4.6, null));
    }
    // seed 1: reached 0, 1, 3; failed 7, 15, 5; reached 4 -> frontier 4, failed 5
    // seed 2: reached 0, 1; failed 3; reached 7 (contradiction); failed 15, 11, 9; reached 8
    int[][] probes = {{0, 1}, {1, 1}, {3, 1}, {7, 0}, {15, 0}, {5, 0}, {4, 1}};
    int[][] odd = {{0, 1}, {1, 1}, {3, 0}, {7, 1}, {15, 0}, {11, 0}, {9, 0}, {8, 1}};
    for (int[] p : probes) {
      rows.add(row(p[0], 1, "frontier", p[1] == 1 ? 0.99 + p[0] / 1000.0 : 0.02, 1.0, reached(p)));
    }
    for (int[] p : odd) {
      rows.add(row(p[0], 2, "frontier", p[1] == 1 ? 0.995 : 0.03 + p[0] / 1000.0, 1.0, reached(p)));
    }
  }

  private static Long reached(int[] probe) {
    return probe[1] == 1 ? 500L + probe[0] : null;
  }

  private static Row row(
      int lag, long seed, String lagSearch, double accuracy, double loss, Long toTarget) {
    Object[] values = new Object[ResultsSchema.SCHEMA.size()];
    String key =
        "experiment=e variant=stateless lag="
            + lag
            + " window=5 hidden=50 seed="
            + seed
            + " values=100"
            + ("frontier".equals(lagSearch) ? " lag_search=frontier" : "");
    set(values, "run_id", "r");
    set(values, "point_id", "p" + lag + "s" + seed + lagSearch);
    set(values, "point_key", key);
    set(values, "experiment", "e");
    set(values, "variant", "stateless");
    set(values, "lag", lag);
    set(values, "window", 5);
    set(values, "hidden", 50);
    set(values, "seed", seed);
    set(values, "values", 100);
    set(values, "lag_search", lagSearch);
    set(values, "accuracy", accuracy);
    set(values, "reachable_accuracy", lag < 5 ? accuracy : null);
    set(values, "loss", loss);
    set(values, "windows_to_target", toTarget);
    set(values, "control", lag >= 5);
    return new GenericRowWithSchema(values, ResultsSchema.SCHEMA);
  }

  private static void set(Object[] values, String column, Object value) {
    values[ResultsSchema.SCHEMA.fieldIndex(column)] = value;
  }

  /** Writes the rows as the table's Parquet files, {@code run_id=r/point_id=P/*.parquet}. */
  private Path table(Connection c) throws SQLException {
    Path table = dir.resolve("results");
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE t (run_id VARCHAR, point_id VARCHAR, point_key VARCHAR,"
              + " experiment VARCHAR, variant VARCHAR, lag INTEGER, \"window\" INTEGER,"
              + " hidden INTEGER, seed BIGINT, lag_search VARCHAR, accuracy DOUBLE,"
              + " reachable_accuracy DOUBLE, loss DOUBLE, windows_to_target BIGINT)");
      for (Row r : rows) {
        s.execute(
            String.format(
                java.util.Locale.ROOT,
                "INSERT INTO t VALUES ('%s', '%s', '%s', '%s', '%s', %d, %d, %d, %d, '%s', %s, %s,"
                    + " %s, %s)",
                r.getAs("run_id"),
                r.getAs("point_id"),
                r.getAs("point_key"),
                r.getAs("experiment"),
                r.getAs("variant"),
                r.<Integer>getAs("lag"),
                r.<Integer>getAs("window"),
                r.<Integer>getAs("hidden"),
                r.<Long>getAs("seed"),
                r.getAs("lag_search"),
                r.getAs("accuracy"),
                r.getAs("reachable_accuracy"),
                r.getAs("loss"),
                r.getAs("windows_to_target")));
      }
      s.execute(
          "COPY t TO '" + table + "' (FORMAT PARQUET, PARTITION_BY (run_id, point_id), OVERWRITE)");
    }
    return table;
  }

  /** Runs the README's section on the table; the rows of its last statement. */
  private static List<List<Object>> readmeQuery(Connection c, Path table, String section)
      throws IOException, SQLException {
    String sql =
        Readme.section(section)
            .replace("```sql", "")
            .replace("```", "")
            .replace("results/run_id=RUN/", table + "/run_id=r/");
    List<List<Object>> out = new ArrayList<>();
    String[] statements = sql.split(";\\s*\\n");
    try (Statement s = c.createStatement()) {
      for (int i = 0; i < statements.length - 1; i++) {
        s.execute(statements[i]);
      }
      try (ResultSet rs = s.executeQuery(statements[statements.length - 1])) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> line = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            line.add(rs.getObject(i));
          }
          out.add(line);
        }
      }
    }
    return out;
  }

  private static double number(Object o) {
    return ((Number) o).doubleValue();
  }

  @Test
  void theReplicatesQueryComputesTheConfigurationsFigures() throws Exception {
    List<PointResult> points = rows.stream().map(PointResult::of).toList();
    List<Configuration> grid = Configuration.of(points.stream().filter(p -> !p.probe()).toList());
    assertEquals(2, grid.size());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      List<List<Object>> lines = readmeQuery(c, table(c), "replicates-sql");
      List<List<Object>> gridLines = lines.stream().filter(l -> number(l.get(5)) == 3).toList();
      assertEquals(2, gridLines.size(), lines.toString());
      for (int i = 0; i < 2; i++) {
        List<Object> l = gridLines.get(i);
        Configuration conf = grid.get(i);
        assertEquals(conf.first().lag(), ((Number) l.get(2)).intValue());
        compare(conf.interval(PointResult::accuracy), l.get(6), l.get(7));
        compare(conf.interval(PointResult::reachableAccuracy), l.get(8), l.get(9));
        assertEquals(conf.interval(PointResult::reachableAccuracy).n(), number(l.get(10)));
        compare(conf.interval(PointResult::loss), l.get(11), l.get(12));
        compare(conf.interval(PointResult::windowsToTarget), l.get(13), l.get(14));
        assertEquals(conf.interval(PointResult::windowsToTarget).n(), number(l.get(15)));
      }
    }
  }

  @Test
  void theFrontierQueryComputesTheFrontiersFigures() throws Exception {
    List<Frontier> frontiers = Frontier.of(rows.stream().map(PointResult::of).toList());
    assertEquals(1, frontiers.size());
    Frontier f = frontiers.get(0);
    assertEquals(List.of(3), f.searches().get(1).found().contradictions());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path table = table(c);
      readmeQuery(c, table, "replicates-sql"); // defines the macros the frontier query uses
      List<List<Object>> lines = readmeQuery(c, table, "frontier-sql");
      assertEquals(1, lines.size(), lines.toString());
      List<Object> l = lines.get(0);
      assertEquals(2, number(l.get(4)), "seeds");
      compare(f.reached(), l.get(5), l.get(6));
      assertEquals(f.reached().n(), number(l.get(7)));
      compare(f.interval(Frontier.Search::accuracyReached), l.get(8), l.get(9));
      compare(f.failed(), l.get(10), l.get(11));
      assertEquals(f.failed().n(), number(l.get(12)));
      compare(f.interval(Frontier.Search::accuracyFailed), l.get(13), l.get(14));
      assertEquals(f.probes(), number(l.get(15)));
      assertEquals("seed 2: lags 3 failed below 8", l.get(16));
    }
  }

  /** The query's mean and half-width are the job's (its t table has six decimals). */
  private static void compare(Interval job, Object mean, Object halfWidth) {
    if (job.n() == 0) {
      assertNull(mean);
      assertNull(halfWidth);
      return;
    }
    assertEquals(job.mean(), number(mean), 1e-9 * Math.max(1, Math.abs(job.mean())));
    if (job.n() < 2) {
      assertNull(halfWidth);
    } else {
      assertTrue(
          Math.abs(job.halfWidth() - number(halfWidth)) <= 1e-6 * job.halfWidth(),
          job + " " + halfWidth);
    }
  }
}
