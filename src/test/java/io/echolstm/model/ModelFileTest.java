package io.echolstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.codec.Inputs;
import io.echolstm.codec.OneHot;
import io.echolstm.config.Variant;
import io.echolstm.testing.TinyModels;
import io.echolstm.testing.TinyModels.Problem;
import io.echolstm.window.Frame;
import io.echolstm.window.Framing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A saved model restores with the fast LSTM layer and computes exactly what was saved. */
class ModelFileTest {
  @TempDir Path dir;

  private static Problem problem(Variant v) {
    return new Problem(v, 7, 3, 1, 8);
  }

  private static OneHot.Batch batch(Problem p, long seed) {
    Random rnd = new Random(seed);
    List<Frame> frames = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      int[] seq = rnd.ints(p.length(), 0, p.values()).toArray();
      frames.addAll(Framing.frame(p.variant(), s, seq, p.window(), p.lag()));
    }
    return new Inputs(p.variant(), p.values(), p.window()).encode(frames);
  }

  private static INDArray output(MultiLayerNetwork net, OneHot.Batch b) {
    return net.output(b.features(), false, b.featureMask(), b.labelMask());
  }

  private static Layer lstm(MultiLayerNetwork net) {
    Layer l = net.getLayer(0);
    return l instanceof BaseWrapperLayer w ? w.getUnderlying() : l;
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void aSavedModelRestoresWithTheFastLayerAndPredictsIdentically(Variant v) throws IOException {
    Problem p = problem(v);
    MultiLayerNetwork trained = TinyModels.trained(p, 3, 11);
    Path file = TinyModels.save(trained, p.info(), dir.resolve("m.zip"));

    ModelFile.Saved saved = ModelFile.read(Files.readAllBytes(file), file.toString());
    assertEquals(p.info(), saved.info());
    assertEquals(trained.params(), saved.network().params(), "parameters, bit for bit");
    assertEquals(
        trained.getLayerWiseConfigurations(), saved.network().getLayerWiseConfigurations());
    assertInstanceOf(FastLstmLayer.class, lstm(saved.network()));
    OneHot.Batch b = batch(p, 5);
    assertEquals(output(trained, b), output(saved.network(), b), v + ": outputs, bit for bit");

    // DL4J's own readers accept the file as is (the extra entry is skipped).
    MultiLayerNetwork byDl4j = MultiLayerNetwork.load(file.toFile(), false);
    assertInstanceOf(FastLstmLayer.class, lstm(byDl4j));
    assertEquals(output(trained, b), output(byDl4j, b), v + ": MultiLayerNetwork.load");
    MultiLayerNetwork bySerializer = ModelSerializer.restoreMultiLayerNetwork(file.toFile());
    assertEquals(output(trained, b), output(bySerializer, b), v + ": ModelSerializer");
  }

  @Test
  void theFileHoldsDl4jsEntriesAndTheInfoAsText() throws IOException {
    Problem p = problem(Variant.STATELESS);
    Path file = TinyModels.save(TinyModels.trained(p, 1, 2), p.info(), dir.resolve("m.zip"));
    List<String> names = new ArrayList<>();
    String info = null;
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        names.add(e.getName());
        if (e.getName().equals(ModelFile.ENTRY)) {
          info = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    assertEquals(
        List.of(
            ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN, ModelFile.ENTRY),
        names,
        "no updater state: the file is for prediction");
    assertNotNull(info);
    for (String line :
        List.of("variant=stateless", "window=3", "lag=1", "values=7", "hidden=16", "format=1")) {
      assertTrue(info.lines().anyMatch(line::equals), line + " in\n" + info);
    }
  }

  // ---- refusals: each with a one-line message naming the file -----------------------------------

  private static ModelFileException refused(byte[] bytes) {
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.read(bytes, "FILE.zip"));
    assertTrue(e.getMessage().contains("FILE.zip"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e;
  }

  /** The bounds are derived from the sweep's ceilings: a model the sweep saves always fits. */
  @Test
  void theFileBoundHoldsTheLargestNetworkTheSweepBuilds() {
    assertEquals(ceiling(io.echolstm.config.Settings.DATA_VALUES.range()), ModelFile.MAX_VALUES);
    assertEquals(ceiling(io.echolstm.config.Settings.MODEL_HIDDEN.range()), ModelFile.MAX_HIDDEN);
    for (Variant v : Variant.values()) {
      // Counted from the configuration: the largest network is never allocated.
      var conf =
          NetworkFactory.build(
              v,
              (int) ModelFile.MAX_VALUES,
              (int) ModelFile.MAX_HIDDEN,
              0.01,
              1,
              2,
              io.echolstm.config.LstmImplementation.FAST);
      long params = 0;
      for (int i = 0; i < conf.getConfs().size(); i++) {
        var layer = conf.getConf(i);
        params += layer.getLayer().initializer().numParams(layer);
      }
      assertTrue(params <= ModelFile.MAX_PARAMETERS, v + ": " + params);
      if (v.marksWindowStarts(2)) {
        assertEquals(ModelFile.MAX_PARAMETERS, params, "the largest has the marker input");
      }
    }
    assertTrue(ModelFile.MAX_BYTES > 4 * ModelFile.MAX_PARAMETERS);
  }

  private static long ceiling(String range) {
    var m = java.util.regex.Pattern.compile("\\.\\.([0-9]+)").matcher(range);
    assertTrue(m.find(), range);
    return Long.parseLong(m.group(1));
  }

  @Test
  void randomBytesAreNotAModel() {
    byte[] bytes = new byte[4096];
    new Random(3).nextBytes(bytes);
    assertTrue(refused(bytes).getMessage().startsWith("not an echo-lstm model file: FILE.zip"));
    assertTrue(refused(new byte[0]).getMessage().contains("is not a zip archive"));
  }

  @Test
  void aZipThatIsNotAModelIsRefused() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("notes.txt"));
      zip.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(
        refused(bytes.toByteArray())
            .getMessage()
            .contains("is a zip without an " + ModelFile.ENTRY + " entry"));
  }

  @Test
  void aPlainDl4jModelWithoutTheInfoIsRefused() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(TinyModels.trained(problem(Variant.STATELESS), 1, 1), bytes, false);
    assertTrue(
        refused(bytes.toByteArray()).getMessage().contains("without an echo-lstm.properties"));
  }

  @Test
  void aTruncatedModelIsCorrupt() throws IOException {
    Problem p = problem(Variant.STATELESS);
    byte[] whole =
        Files.readAllBytes(
            TinyModels.save(TinyModels.trained(p, 1, 1), p.info(), dir.resolve("m.zip")));
    // Cut inside the parameters entry: the info entry, written last, is lost with it.
    ModelFileException e = refused(Arrays.copyOf(whole, whole.length / 2));
    assertTrue(
        e.getMessage().startsWith("corrupt model file FILE.zip")
            || e.getMessage().startsWith("not an echo-lstm model file: FILE.zip"),
        e.getMessage());
  }

  @Test
  void damagedParametersAreCorrupt() throws IOException {
    Problem p = problem(Variant.STATELESS);
    byte[] bytes =
        withEntry(TinyModels.trained(p, 1, 1), p.info(), "coefficients.bin", new byte[3]);
    assertTrue(
        refused(bytes).getMessage().startsWith("corrupt model file FILE.zip: DL4J cannot restore"),
        refused(bytes).getMessage());
  }

  @Test
  void aBadInfoEntryIsCorrupt() throws IOException {
    Problem p = problem(Variant.STATELESS);
    MultiLayerNetwork net = TinyModels.trained(p, 1, 1);
    String good = propertiesText(p.info());
    for (String[] change :
        new String[][] {
          {"window=3", "window=three"},
          {"variant=stateless", "variant=sideways"},
          {"format=1", "format=2"},
          {"lag=1\n", ""},
        }) {
      byte[] bytes =
          withEntry(
              net,
              p.info(),
              ModelFile.ENTRY,
              good.replace(change[0], change[1]).getBytes(StandardCharsets.UTF_8));
      ModelFileException e = refused(bytes);
      assertTrue(
          e.getMessage().startsWith("corrupt model file FILE.zip: bad echo-lstm.properties entry"),
          e.getMessage());
    }
  }

  @Test
  void anInfoThatDoesNotMatchTheNetworkIsCorrupt() throws IOException {
    Problem p = problem(Variant.STATELESS);
    ModelInfo wrong =
        new ModelInfo(Variant.STATELESS, 3, 1, 8, 16, 8, "tiny", "r", "p0", "experiment=tiny");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelFile.write(TinyModels.trained(p, 1, 1), wrong, bytes);
    assertTrue(
        refused(bytes.toByteArray()).getMessage().contains("reads 7 features per step but"),
        "values 8 recorded, 7 in the network");
  }

  @Test
  void aStatefulModelWithoutTheWindowStartMarkerIsRefusedWithAWayForward() throws IOException {
    // A stateful window-3 model as versions before the marker saved it: 7 inputs for 7 values
    // (a window-1 network has exactly that input).
    Problem unmarked = new Problem(Variant.STATEFUL, 7, 1, 1, 8);
    ModelInfo saved =
        new ModelInfo(Variant.STATEFUL, 3, 1, 7, 16, 8, "tiny", "r", "p0", "experiment=tiny");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelFile.write(TinyModels.trained(unmarked, 1, 1), saved, bytes);
    String message = refused(bytes.toByteArray()).getMessage();
    assertTrue(message.contains("saved before window-start markers"), message);
    assertTrue(message.contains("train the point again"), message);
  }

  private static String propertiesText(ModelInfo info) throws IOException {
    java.io.StringWriter w = new java.io.StringWriter();
    info.toProperties().store(w, null);
    // Properties.store writes a date comment first; drop comments so replacements are exact.
    return String.join("\n", w.toString().lines().filter(l -> !l.startsWith("#")).sorted().toList())
        + "\n";
  }

  /** A model file written by {@link ModelFile#write} with one entry's bytes replaced. */
  private static byte[] withEntry(MultiLayerNetwork net, ModelInfo info, String name, byte[] data)
      throws IOException {
    ByteArrayOutputStream original = new ByteArrayOutputStream();
    ModelFile.write(net, info, original);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in =
            new ZipInputStream(new java.io.ByteArrayInputStream(original.toByteArray()));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        zip.putNextEntry(new ZipEntry(e.getName()));
        zip.write(e.getName().equals(name) ? data : in.readAllBytes());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
