package io.echolstm.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.codec.OneHot;
import io.echolstm.config.Variant;
import io.echolstm.testing.TinyModels;
import io.echolstm.testing.TinyModels.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** predict's library: a saved model echoes a sequence as training framed it; bad input refused. */
class PredictorTest {
  /** The tutorial's setup in small: window 3, lag 1, integers 0..9, sequences of 8. */
  private static final Problem ECHO = new Problem(Variant.STATELESS, 10, 3, 1, 8);

  @TempDir static Path dir;
  private static MultiLayerNetwork trained;
  private static Path file;

  @BeforeAll
  static void trainAndSave() throws IOException {
    trained = TinyModels.trained(ECHO, 400, 7);
    file = TinyModels.save(trained, ECHO.info(), dir.resolve("echo.zip"));
  }

  private static Predictor load(Path path) throws PredictException {
    return Predictor.load(path.toString(), new Configuration());
  }

  @Test
  void aTrainedModelEchoesTheValueOneStepBackForEachWindow() throws PredictException {
    Predictor p = load(file);
    Predictor.Echo echo = p.echo("3,1,4,1,5,9,2,6");
    // windows end at positions 2..7; each echoes the value one step back
    assertArrayEquals(new int[] {1, 4, 1, 5, 9, 2}, echo.expected());
    assertArrayEquals(echo.expected(), echo.predicted(), "the tiny model learned the echo");
    assertEquals("Expected:  [1, 4, 1, 5, 9, 2]\nPredicted: [1, 4, 1, 5, 9, 2]\n", echo.lines());
    assertTrue(
        p.describe().startsWith("model: stateless, window 3, lag 1, values 0..9, hidden 16"),
        p.describe());
  }

  @Test
  void predictionsAreTheNetworksOwnForEveryWindow() throws PredictException {
    int[] seq = new Random(4).ints(30, 0, 10).toArray();
    Predictor.Echo echo = load(file).echo(seq);
    int[][] windows = new int[seq.length - 2][];
    for (int t = 2; t < seq.length; t++) {
      windows[t - 2] = java.util.Arrays.copyOfRange(seq, t - 2, t + 1);
      assertEquals(seq[t - 1], echo.expected()[t - 2]);
    }
    INDArray out = trained.output(OneHot.windows(windows, 10));
    assertArrayEquals(OneHot.decode(out), echo.predicted(), "the saved network's argmax");
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void everyVariantEchoesOneValuePerLabelledWindow(Variant v) throws Exception {
    Problem p = new Problem(v, 6, 3, 1, 7);
    Path f = TinyModels.save(TinyModels.trained(p, 2, 3), p.info(), dir.resolve(v.id() + ".zip"));
    int[] seq = {0, 1, 2, 3, 4, 5, 0};
    Predictor.Echo echo = load(f).echo(seq);
    // stateless, seq2seq, stateful: positions 2..6; masked, whole-sequence: 1..6
    int[] expected =
        v == Variant.MASKED || v == Variant.WHOLE_SEQUENCE
            ? new int[] {0, 1, 2, 3, 4, 5}
            : new int[] {1, 2, 3, 4, 5};
    assertArrayEquals(expected, echo.expected(), v.id());
    assertEquals(expected.length, echo.predicted().length, v.id());
    for (int value : echo.predicted()) {
      assertTrue(value >= 0 && value < 6, v.id() + " predicted " + value);
    }
  }

  // ---- refusals ---------------------------------------------------------------------------------

  private static void refused(String sequence, String fragment) throws PredictException {
    Predictor p = load(file);
    PredictException e = assertThrows(PredictException.class, () -> p.echo(sequence));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1,2,10,4        | sequence value 3 is out of range: 10 (this model reads integers 0..9)",
        "1,2,3,99999999999999999999 | sequence value 4 is out of range: 99999999999999999999",
        "1,-2,3,4        | sequence value 2 is out of range: -2 (this model reads integers 0..9)",
        "1,2,3.5,4       | sequence value 3 is not an integer: '3.5'",
        "1,two,3,4       | sequence value 2 is not an integer: 'two'",
        "1,2,,4          | sequence value 3 is empty",
        "1,2,3,          | sequence value 4 is empty",
        "1 2 3 4         | sequence value 1 is not an integer: '1 2 3 4'",
        "1,2             | sequence of 2 values is shorter than the model's window of 3",
        "7               | sequence of 1 values is shorter than the model's window of 3",
      })
  void badSequencesAreRefusedInOneLine(String sequence, String fragment) throws PredictException {
    refused(sequence, fragment);
  }

  @Test
  void emptyAndOverlongSequencesAreRefused() throws PredictException {
    refused("", "sequence is empty");
    refused("  ", "sequence is empty");
    refused("1,".repeat(Predictor.MAX_SEQUENCE) + "1", "at most 1000 are accepted");
  }

  @Test
  void aSequenceShorterThanTheLagIsRefused() throws Exception {
    Problem p = new Problem(Variant.MASKED, 6, 2, 4, 7);
    Path f = TinyModels.save(TinyModels.trained(p, 1, 3), p.info(), dir.resolve("lag4.zip"));
    Predictor predictor = load(f);
    PredictException e = assertThrows(PredictException.class, () -> predictor.echo("1,2,3,4"));
    assertEquals(
        "sequence of 4 values is too short for the model's lag of 4: at least 5 values are needed",
        e.getMessage());
    assertEquals(1, predictor.echo("1,2,3,4,5").expected().length);
  }

  private static PredictException refusedFile(String path) {
    PredictException e =
        assertThrows(PredictException.class, () -> Predictor.load(path, new Configuration()));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().contains(path), e.getMessage());
    return e;
  }

  @Test
  void aMissingFileIsRefused() {
    String missing = dir.resolve("no-such-model.zip").toString();
    assertEquals("model file does not exist: " + missing, refusedFile(missing).getMessage());
  }

  @Test
  void aDirectoryIsRefused() {
    assertEquals(
        "model file " + dir + " is a directory, not a file",
        refusedFile(dir.toString()).getMessage());
  }

  /**
   * Issue 16 case 11: a small zip whose echo-lstm.properties entry inflated to 2.5 GB ended in an
   * OutOfMemoryError after 14 s. An entry is read only up to its bound.
   */
  @Test
  @Timeout(20)
  void aZipBombEntryIsRefusedUnread() throws IOException {
    Path f = dir.resolve("bomb.zip");
    try (OutputStream out = Files.newOutputStream(f);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("configuration.json"));
      zip.write("{}".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry(io.echolstm.model.ModelFile.ENTRY));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        zip.write(zeros); // 256 MiB inflated, a few hundred KB on disk
      }
    }
    assertTrue(Files.size(f) < 2 << 20, "compressed: " + Files.size(f));
    String message = refusedFile(f.toString()).getMessage();
    assertTrue(
        message.startsWith("not a model this job saved: the echo-lstm.properties entry of "),
        message);
  }

  /** Every kind of file that is not a model: refused at once, in one line naming it. */
  @Test
  @Timeout(20)
  void aDeviceANamedPipeAndAHugeFileAreRefusedUnread() throws Exception {
    assertTrue(
        refusedFile("/dev/zero").getMessage().contains("not a regular file (a character device)"));
    Path fifo = dir.resolve("pipe.zip");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertTrue(
        refusedFile(fifo.toString()).getMessage().contains("not a regular file (a named pipe)"));
    Path huge = dir.resolve("huge.zip");
    try (java.io.RandomAccessFile r = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      r.setLength(io.echolstm.model.ModelFile.MAX_BYTES + 1);
    }
    assertTrue(refusedFile(huge.toString()).getMessage().contains("is too large"));
    assertTrue(refusedFile("file:" + huge).getMessage().contains("is too large"));
  }

  @Test
  void randomBytesAreRefused() throws IOException {
    byte[] bytes = new byte[2048];
    new Random(9).nextBytes(bytes);
    Path f = Files.write(dir.resolve("random.zip"), bytes);
    assertEquals(
        "not an echo-lstm model file: " + f + " is not a zip archive",
        refusedFile(f.toString()).getMessage());
  }

  @Test
  void aZipThatIsNotAModelIsRefused() throws IOException {
    Path f = dir.resolve("other.zip");
    try (OutputStream out = Files.newOutputStream(f);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("readme.txt"));
      zip.write("not a network".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(
        refusedFile(f.toString()).getMessage().contains("a zip without an echo-lstm.properties"),
        "zip without the entry");
  }

  @Test
  void aTruncatedModelFileIsRefused() throws IOException {
    byte[] whole = Files.readAllBytes(file);
    Path f = Files.write(dir.resolve("cut.zip"), java.util.Arrays.copyOf(whole, whole.length / 3));
    String message = refusedFile(f.toString()).getMessage();
    assertTrue(
        message.startsWith("corrupt model file " + f)
            || message.startsWith("not an echo-lstm model file: " + f),
        message);
  }
}
