package io.echolstm.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models kept under the table, through Hadoop's file system: replaced whole, never half-written.
 */
class ModelStoreTest {
  @TempDir Path dir;

  private static ModelStore.Content text(String s) {
    return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void aModelIsSavedUnderTheUnderscoreDirectoryAndReplacedWhole() throws IOException {
    Path results = dir.resolve("results");
    ModelStore store = new ModelStore(results.toString(), new Configuration());
    String path = store.save("r1", "p0123456789abcdef", text("first"));
    assertEquals("_models/run_id=r1/point_id=p0123456789abcdef.zip", path);
    assertEquals(path, ModelStore.relativePath("r1", "p0123456789abcdef"));
    assertEquals("first", Files.readString(results.resolve(path)));

    assertEquals(path, store.save("r1", "p0123456789abcdef", text("second, longer")));
    assertEquals("second, longer", Files.readString(results.resolve(path)));
    // Hadoop's local file system keeps a checksum next to the file; no temporary file is left.
    assertEquals(
        List.of(
            "_models/run_id=r1/.point_id=p0123456789abcdef.zip.crc",
            "_models/run_id=r1/point_id=p0123456789abcdef.zip"),
        files(results));
  }

  @Test
  void aFailedWriteKeepsTheModelBeforeItAndTheRerunCleansTheTemporaryFile() throws IOException {
    Path results = dir.resolve("results");
    ModelStore store = new ModelStore("file:" + results, new Configuration());
    String path = store.save("r1", "pa", text("good"));
    assertThrows(
        UncheckedIOException.class,
        () ->
            store.save(
                "r1",
                "pa",
                out -> {
                  out.write(1);
                  throw new IOException("disk full");
                }));
    assertEquals("good", Files.readString(results.resolve(path)), "the old model survives");
    assertEquals(
        List.of(
            "_models/run_id=r1/..point_id=pa.zip.tmp.crc",
            "_models/run_id=r1/.point_id=pa.zip.crc",
            "_models/run_id=r1/.point_id=pa.zip.tmp",
            "_models/run_id=r1/point_id=pa.zip"),
        files(results));
    assertEquals(0, store.removeAbandonedTemps("r2"), "another run's files are not touched");
    assertEquals(1, store.removeAbandonedTemps("r1"));
    assertEquals(
        List.of("_models/run_id=r1/.point_id=pa.zip.crc", "_models/run_id=r1/point_id=pa.zip"),
        files(results));
    assertEquals(
        0,
        new ModelStore(dir.resolve("none").toString(), new Configuration())
            .removeAbandonedTemps("r1"));
  }
}
