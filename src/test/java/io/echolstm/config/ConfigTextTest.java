package io.echolstm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of file given as {@code --conf} that is not a config is refused at once, in one line
 * (key {@code --conf}) naming the file, and the line where the text goes wrong: nothing hangs,
 * nothing reads without end, no stack trace.
 */
@Timeout(20)
class ConfigTextTest {
  @TempDir Path dir;

  private SettingsException refused(Path file) {
    SettingsException e =
        assertThrows(SettingsException.class, () -> new ConfigLoader().file(file).load(List.of()));
    assertEquals("--conf", e.key(), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    return e;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private Path write(String name, String text) throws IOException {
    return write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Issue 16 case 6: "Malformed \\uxxxx encoding" and a stack trace, with no file or line. */
  @Test
  void badUnicodeEscapeNamesFileAndLine() throws IOException {
    Path file =
        write(
            "bad-escape.properties",
            "# a comment \\u12zz is not parsed\nexperiments = a\nseed = \\u12zz\n");
    SettingsException e = refused(file);
    assertTrue(e.getMessage().contains(" line 3: malformed \\uXXXX escape"), e.getMessage());
    assertTrue(e.getMessage().contains("seed = \\u12zz"), e.getMessage());
  }

  @Test
  void badEscapeOnAContinuationLineNamesThatLine() throws IOException {
    Path file =
        write("continued.properties", "experiments = a\nsweep.lags = 0,\\\n   \\u00zz\nseed = 1\n");
    assertTrue(refused(file).getMessage().contains(" line 3: "));
  }

  /** Issue 16 case 14: {@code --conf /dev/zero} read until the heap ran out. */
  @Test
  void aDeviceIsRefused() {
    Path zero = Path.of("/dev/zero");
    SettingsException e = refused(zero);
    assertTrue(e.getMessage().contains("not a regular file (a character device)"), e.getMessage());
  }

  @Test
  void aSymbolicLinkToADeviceIsRefused() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("zero.properties"), Path.of("/dev/zero"));
    assertTrue(refused(link).getMessage().contains("not a regular file"));
  }

  /** Issue 16 case 15: a FIFO with no writer hung the job silently. */
  @Test
  void aNamedPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("pipe.properties");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    assertTrue(refused(fifo).getMessage().contains("not a regular file (a named pipe)"));
  }

  @Test
  void aDirectoryIsRefused() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("conf.d"));
    assertTrue(refused(sub).getMessage().contains("is a directory"));
  }

  @Test
  void aHugeFileIsRefusedBeforeItIsRead() throws IOException {
    Path big = dir.resolve("big.properties");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(8L << 30); // sparse: 8 GiB without the disk space
    }
    SettingsException e = refused(big);
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    assertTrue(e.getMessage().contains("at most " + ConfigLoader.MAX_FILE_BYTES), e.getMessage());
  }

  @Test
  void binaryGarbageIsRefusedAsNotText() throws IOException {
    byte[] garbage = new byte[4096];
    new Random(16).nextBytes(garbage);
    SettingsException e = refused(write("garbage.properties", garbage));
    assertTrue(e.getMessage().contains("not UTF-8 text"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u0007", "\u001b[31m", "\u007f"})
  void controlCharactersAreRefusedNamingTheLine(String control) throws IOException {
    Path file = write("control.properties", "experiments = a\nseed = 1" + control + "\n");
    SettingsException e = refused(file);
    assertTrue(e.getMessage().contains(" line 2: control character U+"), e.getMessage());
  }

  @Test
  void aFileCutInsideAMultiByteCharacterIsRefused() throws IOException {
    byte[] text =
        "experiments = a\nexperiment.a.description = caf\u00e9".getBytes(StandardCharsets.UTF_8);
    byte[] cut = java.util.Arrays.copyOf(text, text.length - 1);
    SettingsException e = refused(write("cut.properties", cut));
    assertTrue(e.getMessage().contains(" line 2: not UTF-8 text"), e.getMessage());
  }

  @Test
  void anEmptyFileIsAnEmptyConfig() throws IOException {
    Path empty = write("empty.properties", new byte[0]);
    assertEquals(1, new ConfigLoader().file(empty).load(List.of()).size());
  }

  @Test
  void aFileAtTheBoundIsRead() throws IOException {
    StringBuilder text = new StringBuilder("seed = 7\n");
    while (text.length() < ConfigLoader.MAX_FILE_BYTES) {
      text.append("# padding\n");
    }
    text.setLength((int) ConfigLoader.MAX_FILE_BYTES);
    Path file = write("at-bound.properties", text.toString());
    assertEquals(List.of(7L), new ConfigLoader().file(file).load(List.of()).get(0).seed());
    Files.writeString(file, "#", java.nio.file.StandardOpenOption.APPEND);
    assertTrue(refused(file).getMessage().contains("too large"));
  }
}
