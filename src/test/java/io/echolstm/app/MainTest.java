package io.echolstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.Setting;
import io.echolstm.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input fails before Spark starts: exit 2, one line naming the key, nothing written. */
class MainTest {
  @TempDir Path dir;

  private record Outcome(int code, String out, String err) {}

  private Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void assertRefused(Outcome o, String key) {
    assertEquals(Main.BAD_INPUT, o.code(), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().contains("key " + key), o.err());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sweep.lags=-1",
        "sweep.lags=",
        "sweep.windows=26",
        "data.values=1",
        "data.train-sequences=0",
        "model.hidden=x",
        "bogus.key=1",
        "sweep.variants=nope",
        "sweep.variants=stateless,stateless",
        "model.hidden=5000",
        "data.values=100000",
        "train.prefetch=1000"
      })
  void badSettingsExitTwoAndWriteNothing(String assignment) {
    Path results = dir.resolve("results");
    Outcome o = run("sweep", "--set", assignment, "--results", results.toString());
    assertRefused(o, assignment.substring(0, assignment.indexOf('=')));
    assertFalse(Files.exists(results));
  }

  @Test
  void missingConfigFile() {
    assertRefused(run("sweep", "--conf", dir.resolve("none.properties").toString()), "--conf");
  }

  @Test
  void unknownExperiment() {
    assertRefused(run("sweep", "--experiment", "no-such-thing"), "--experiment");
  }

  @Test
  void resultsPathThatIsAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertRefused(run("sweep", "--results", file.toString()), "--results");
    assertEquals("x", Files.readString(file));
  }

  @Test
  void resultsPathThatCannotBeCreated() throws IOException {
    Path underFile = Files.writeString(dir.resolve("plain"), "x").resolve("results");
    assertRefused(run("sweep", "--results", underFile.toString()), "--results");
  }

  @Test
  void unknownOptionAndCommand() {
    assertRefused(run("sweep", "--frobnicate"), "--frobnicate");
    assertRefused(run("train"), "command");
    assertRefused(run("sweep", "--run-id", "a/b"), "--run-id");
    assertRefused(run("sweep", "--set"), "--set");
  }

  @Test
  void helpPrintsUsage() {
    Outcome o = run("--help");
    assertEquals(Main.OK, o.code());
    assertTrue(o.out().contains("usage: sweep"));
    for (Setting<?> setting : Settings.ALL) {
      assertTrue(o.out().contains("  " + setting.key() + " "), setting.key() + " not in --help");
    }
  }
}
