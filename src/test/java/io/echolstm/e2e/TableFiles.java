package io.echolstm.e2e;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reading a results table directory from outside Spark: its files, and DuckDB's view of it. */
final class TableFiles {
  /**
   * What a committed point may consist of, its saved model included, next to its run's plan record
   * and lease (a lease stays when its driver was killed; tests check it is gone after a clean end
   * with {@link #leases}); anything else under the table (a model's temporary file among them) is a
   * leftover.
   */
  private static final Pattern COMMITTED =
      Pattern.compile(
          "run_id=[^/]+(/point_id=p[0-9a-f]{16}(/\\.?part-[^/]+\\.parquet(\\.crc)?)?)?"
              + "|run_id=[^/]+/(_echo-lstm-plan\\.json|_echo-lstm-lease\\.json)"
              + "|\\.?_SUCCESS(\\.crc)?"
              + "|_models(/run_id=[^/]+(/(point_id=p[0-9a-f]{16}\\.zip"
              + "|\\.point_id=p[0-9a-f]{16}\\.zip\\.crc))?)?");

  /** A saved model: {@code _models/run_id=R/point_id=P.zip}. */
  private static final Pattern MODEL =
      Pattern.compile("_models/(run_id=[^/]+)/(point_id=p[0-9a-f]{16})\\.zip");

  /**
   * The files the README's DuckDB query reads, under the table directory. Keep it the README's: the
   * tests check what a reader following the README sees.
   */
  static final String README_GLOB = "/run_id=*/point_id=*/*.parquet";

  private TableFiles() {}

  /**
   * Every file and directory under {@code dir}, relative and sorted; empty if it is missing.
   * Another process may be deleting from it as it is listed (a Spark worker cleaning up after an
   * application): entries that vanish while the walk reaches them are left out instead of failing
   * the walk.
   */
  static List<String> tree(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.exists(dir)) {
      return out;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (!d.equals(dir)) {
              out.add(dir.relativize(d).toString());
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            out.add(dir.relativize(f).toString());
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    out.sort(null);
    return out;
  }

  /**
   * Entries under a table directory that belong to no committed point: Spark staging directories
   * ({@code .spark-staging-*}), {@code _temporary}, stray files, a model's temporary file. Also
   * every point directory that does not hold exactly one data file, and every saved model whose
   * point has no committed row.
   */
  static List<String> strays(Path results) throws IOException {
    List<String> out = new ArrayList<>();
    for (String entry : tree(results)) {
      if (!COMMITTED.matcher(entry).matches()) {
        out.add(entry);
      }
    }
    for (String entry : tree(results)) {
      if (entry.matches("run_id=[^/]+/point_id=[^/]+")) {
        long dataFiles;
        try (Stream<Path> s = Files.list(results.resolve(entry))) {
          dataFiles = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        }
        if (dataFiles != 1) {
          out.add(entry + " (" + dataFiles + " data files)");
        }
      }
      Matcher model = MODEL.matcher(entry);
      if (model.matches()
          && !Files.isDirectory(results.resolve(model.group(1)).resolve(model.group(2)))) {
        out.add(entry + " (no committed row)");
      }
    }
    return out;
  }

  /** The lease files under a table directory: a driver holds (or a killed one held) the run. */
  static List<String> leases(Path results) throws IOException {
    return tree(results).stream().filter(p -> p.endsWith("/_echo-lstm-lease.json")).toList();
  }

  /**
   * The table as the README reads it with DuckDB: {@code read_parquet('DIR' + README_GLOB,
   * hive_partitioning = true)}.
   *
   * @param select the select list, e.g. {@code "point_id, lag, accuracy"}
   * @param rest what follows the FROM clause, e.g. {@code "ORDER BY lag"}
   * @return the rows; none when no file matches (an empty table)
   */
  static List<Map<String, Object>> duckDb(Path results, String select, String rest) {
    String sql =
        "SELECT "
            + select
            + " FROM read_parquet('"
            + results
            + README_GLOB
            + "', hive_partitioning = true) "
            + rest;
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
    } catch (SQLException e) {
      // DuckDB's answer for a glob that matches nothing: the table has no committed row yet.
      if (e.getMessage() != null && e.getMessage().contains("No files found that match")) {
        return List.of();
      }
      throw new AssertionError("DuckDB could not read the table with: " + sql, e);
    }
    return rows;
  }
}
