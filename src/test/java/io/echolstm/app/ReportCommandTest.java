package io.echolstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report}'s bad input is refused before Spark starts: exit 2, one line, nothing written. */
class ReportCommandTest {
  @TempDir Path dir;

  private static Outcome run(String... args) {
    return Outcome.run(args);
  }

  private static void assertRefused(Outcome o, String message) {
    assertEquals(Main.BAD_INPUT, o.code(), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().startsWith("echo-lstm: "), o.err());
    assertTrue(o.err().contains(message), o.err());
    assertEquals("", o.out());
  }

  /** A table directory with committed points of the given runs (empty Parquet files suffice). */
  private Path table(String... runs) throws IOException {
    Path results = dir.resolve("results");
    for (String run : runs) {
      Path point = results.resolve("run_id=" + run).resolve("point_id=p1");
      Files.createDirectories(point);
      Files.writeString(point.resolve("part-0.parquet"), "");
    }
    return results;
  }

  @Test
  void noTableThere() throws IOException {
    assertRefused(
        run("report", "--results", dir.resolve("missing").toString()),
        "no results table in " + dir.resolve("missing"));
    // a directory without any run's Parquet files is no table either
    Files.createDirectories(dir.resolve("empty/run_id=r1/point_id=p1"));
    Files.writeString(dir.resolve("empty/README"), "notes");
    assertRefused(
        run("report", "--results", dir.resolve("empty").toString()), "no results table in");
    assertFalse(Files.exists(Path.of(ReportCommand.DEFAULT_OUT_PARENT, "r1")));
  }

  @Test
  void unknownRunIdNamesTheRunsThereAre() throws IOException {
    Path results = table("r1", "r2");
    Path out = dir.resolve("out");
    assertRefused(
        run(
            "report",
            "--results",
            results.toString(),
            "--run-id",
            "r1",
            "--run-id",
            "r3",
            "--out",
            out.toString()),
        "run id 'r3' is not in the results table " + results + " (runs: r1, r2)");
    assertFalse(Files.exists(out));
  }

  @Test
  void badRunIdOutDirAndOptions() throws IOException {
    Path results = table("r1");
    assertRefused(
        run("report", "--results", results.toString(), "--run-id", "../x"), "(key --run-id)");
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertRefused(
        run("report", "--results", results.toString(), "--out", file.toString()),
        "report path exists and is not a directory");
    assertRefused(
        run("report", "--results", results.toString(), "--out", "hdfs://nn/reports"),
        "report directory must be a local path");
    assertRefused(run("report", "--frobnicate"), "'--frobnicate'");
    assertRefused(run("report", "--out"), "'--out'");
  }

  @Test
  void helpNamesTheOptions() {
    Outcome help = run("report", "--help");
    assertEquals(Main.OK, help.code(), help.err());
    for (String option : List.of("--results", "--run-id", "--out")) {
      assertTrue(help.out().contains(option), help.out());
    }
    assertTrue(run("--help").out().contains("report"));
  }

  @Test
  void defaultOutIsUnderReportsNamedByTheRuns() {
    assertEquals(Path.of("reports", "r1").toString(), ReportCommand.defaultOut(List.of("r1")));
    assertEquals(
        Path.of("reports", "r1+r2").toString(), ReportCommand.defaultOut(List.of("r1", "r2")));
    String longId = "x".repeat(100);
    assertEquals(
        Path.of("reports", longId + "+b+c").toString(),
        ReportCommand.defaultOut(List.of(longId, "b", "c")));
    assertEquals(
        Path.of("reports", longId + "+2-more").toString(),
        ReportCommand.defaultOut(List.of(longId, "y".repeat(30), "c")));
  }
}
