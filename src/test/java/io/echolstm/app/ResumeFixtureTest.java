package io.echolstm.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import io.echolstm.results.ResultsSchema;
import io.echolstm.results.ResultsTable;
import io.echolstm.results.RunRecord;
import io.echolstm.sweep.SweepPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run written by an earlier release resumes under this one. The fixture ({@code
 * fixtures/run-8d73209}) is what commit 8d73209 wrote for its {@code sweep.properties} with {@code
 * sweep --run-id fixture} on {@code local[2]}: the run's plan record and its two points' Parquet
 * files, unchanged. This release must plan the same point ids and keys from that config, so a rerun
 * finds both points committed and trains nothing, and must read those files with its schema.
 */
class ResumeFixtureTest {
  private static final String RUN = "fixture";

  /** The master the fixture was written on; a rerun on another master is another plan. */
  private static final String MASTER = "local[2]";

  @TempDir Path dir;
  private Path conf;
  private Path results;

  /** A copy of the fixture: a rerun takes the run's lease in its directory. */
  @BeforeEach
  void copyFixture() throws IOException, URISyntaxException {
    Path fixture = Path.of(getClass().getResource("/fixtures/run-8d73209").toURI());
    try (Stream<Path> files = Files.walk(fixture)) {
      for (Path f : files.toList()) {
        Path copy = dir.resolve(fixture.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(f, copy);
        }
      }
    }
    conf = dir.resolve("sweep.properties");
    results = dir.resolve("results");
  }

  private Path runDir() {
    return results.resolve("run_id=" + RUN);
  }

  private List<Path> parquetFiles() throws IOException {
    try (Stream<Path> files = Files.walk(runDir())) {
      return files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  @Test
  void theConfigPlansTheRecordedIdsAndKeys() throws IOException {
    SweepPlan plan = SweepPlan.expand(new ConfigLoader().file(conf).load(List.of()));
    Configuration hadoop = new Configuration();
    RunRecord recorded =
        RunRecord.read(
                FileSystem.getLocal(hadoop),
                new org.apache.hadoop.fs.Path(runDir().toUri()),
                1 << 20)
            .orElseThrow();
    assertEquals(
        recorded.points(),
        plan.points().stream().map(p -> new RunRecord.Point(p.id(), p.key())).toList());
    assertEquals(
        recorded.pointIds(), ResultsTable.committedPoints(results.toString(), hadoop, RUN));
  }

  /**
   * Every column the earlier release wrote (Spark's schema footer) is one of today's, with its name
   * and type, in the same order: today's table reads those files by name, and the columns added
   * since (today's schema minus theirs) read as null for their rows.
   */
  @Test
  void theFilesColumnsAreTodaysInTheirOrder() throws IOException {
    List<StructField> today =
        Arrays.stream(ResultsSchema.SCHEMA.fields())
            .filter(
                f ->
                    !f.name().equals(ResultsSchema.RUN_ID)
                        && !f.name().equals(ResultsSchema.POINT_ID))
            .toList();
    List<Path> files = parquetFiles();
    assertEquals(2, files.size());
    for (Path file : files) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        String written =
            reader
                .getFooter()
                .getFileMetaData()
                .getKeyValueMetaData()
                .get("org.apache.spark.sql.parquet.row.metadata");
        List<StructField> old = Arrays.asList(((StructType) DataType.fromJson(written)).fields());
        List<StructField> kept = today.stream().filter(old::contains).toList();
        assertEquals(old, kept, file + ": the old columns, in today's schema and order");
        assertTrue(
            today.stream().map(StructField::name).toList().containsAll(List.of("lag", "accuracy")),
            "sanity: today's schema holds the table's columns");
      }
    }
  }

  @Test
  void planFindsEveryPointCommitted() {
    Outcome o = run("plan");
    assertEquals(Main.OK, o.code(), o.err());
    assertTrue(o.out().contains("2 points: 0 to train, 2 already committed"), o.out());
  }

  /** The rerun trains nothing, leaves the files alone and reads the old rows for its summary. */
  @Test
  @Timeout(180)
  void aRerunResumesTheRun() throws IOException {
    List<byte[]> before = read(parquetFiles());
    Outcome o = run("sweep");
    assertEquals(Main.OK, o.code(), o.err());
    assertTrue(o.out().contains("run fixture: 0 trained, 2 already done"), o.out());
    // the summary rows, read back from the earlier release's files
    assertTrue(o.out().lines().anyMatch(l -> l.matches("echo +stateless +1 +3 +4 +0\\.1000 .*")));
    assertTrue(o.out().lines().anyMatch(l -> l.matches("seq +seq2seq +0 +3 +4 +0\\.1611 .*")));
    List<byte[]> after = read(parquetFiles());
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i));
    }
  }

  private static List<byte[]> read(List<Path> files) {
    return files.stream()
        .map(
            f -> {
              try {
                return Files.readAllBytes(f);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  /** Runs {@code command} on the fixture's run, with its master. */
  private Outcome run(String command) {
    return Outcome.runOnSpark(
        MASTER,
        command,
        "--conf",
        conf.toString(),
        "--results",
        results.toString(),
        "--run-id",
        RUN);
  }
}
