package io.echolstm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path conf(String text) throws IOException {
    Path file = dir.resolve("test.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void defaultsMakeOneExperiment() {
    List<ExperimentSettings> all = new ConfigLoader().load(List.of());
    assertEquals(1, all.size());
    ExperimentSettings e = all.get(0);
    assertEquals(ConfigLoader.DEFAULT_EXPERIMENT, e.name());
    assertEquals(100, e.data().values());
    assertEquals(25, e.data().sequenceLength());
    assertEquals(List.of(1), e.sweep().lags());
    assertEquals(List.of(Variant.STATELESS), e.sweep().variants());
    assertEquals(TrainSettings.AUTO_WORKERS, e.train().workers());
    assertEquals(Approach.DIRECT, e.train().approach());
    assertEquals(5000, e.eval().everyWindows());
    assertEquals(3, e.train().patience());
  }

  @Test
  void precedenceIsScopedSetThenSetThenScopedFileThenFileThenDefault() throws IOException {
    Path file =
        conf(
            String.join(
                "\n",
                "experiments = a, b",
                "model.hidden = 20",
                "sweep.windows = 3",
                "experiment.a.sweep.windows = 4",
                "experiment.b.sweep.lags = 0-2",
                "experiment.b.description = the second one"));
    List<ExperimentSettings> all =
        new ConfigLoader()
            .file(file)
            .set("model.hidden=30")
            .set("experiment.b.model.hidden=40")
            .load(List.of());
    assertEquals(List.of("a", "b"), all.stream().map(ExperimentSettings::name).toList());
    ExperimentSettings a = all.get(0);
    ExperimentSettings b = all.get(1);
    assertEquals(List.of(4), a.sweep().windows());
    assertEquals(List.of(3), b.sweep().windows());
    assertEquals(List.of(30), a.model().hidden());
    assertEquals(List.of(40), b.model().hidden());
    assertEquals(List.of(1), a.sweep().lags());
    assertEquals(List.of(0, 1, 2), b.sweep().lags());
    assertEquals("the second one", b.description());
  }

  @Test
  void laterFilesOverrideEarlierOnes() throws IOException {
    Path first = dir.resolve("first.properties");
    Path second = dir.resolve("second.properties");
    Files.writeString(first, "seed = 1\ndata.values = 20\n");
    Files.writeString(second, "seed = 2\n");
    ExperimentSettings e = new ConfigLoader().file(first).file(second).load(List.of()).get(0);
    assertEquals(List.of(2L), e.seed());
    assertEquals(20, e.data().values());
  }

  /**
   * Issue 16: a later file's plain key did not override an earlier file's experiment.NAME.KEY, so
   * layered files silently kept the earlier value. Files are layers, as --set is: the later layer
   * decides, and within one layer the scoped key wins.
   */
  @Test
  void aLaterFilesPlainKeyOverridesAnEarlierFilesScopedKey() throws IOException {
    Path base = dir.resolve("base.properties");
    Path fast = dir.resolve("fast.properties");
    Files.writeString(
        base,
        "experiments = a, b\n"
            + "train.epochs = 5\n"
            + "experiment.a.train.epochs = 7\n"
            + "experiment.b.model.hidden = 30\n");
    Files.writeString(fast, "train.epochs = 1\nexperiment.b.model.hidden = 40\nmodel.hidden = 9\n");
    List<String> notices = new java.util.ArrayList<>();
    List<ExperimentSettings> all;
    try (var captured = LogCapture.of(ConfigLoader.class, notices)) {
      all = new ConfigLoader().file(base).file(fast).load(List.of());
    }
    assertEquals(1, all.get(0).train().epochs(), "a: the later file's train.epochs");
    assertEquals(1, all.get(1).train().epochs());
    assertEquals(List.of(9), all.get(0).model().hidden());
    assertEquals(List.of(40), all.get(1).model().hidden(), "b: the later file's scoped key");
    assertEquals(1, notices.size(), notices.toString());
    assertTrue(
        notices.get(0).contains("train.epochs = 1 in " + fast)
            && notices
                .get(0)
                .contains("overrides experiment.a.train.epochs = 7 in the earlier " + base),
        notices.get(0));

    // The other order: the earlier layer's plain key is overridden by nothing, the scoped one wins.
    List<ExperimentSettings> reversed = new ConfigLoader().file(fast).file(base).load(List.of());
    assertEquals(7, reversed.get(0).train().epochs());
    assertEquals(5, reversed.get(1).train().epochs());
    assertEquals(List.of(30), reversed.get(1).model().hidden());
    // --set is the last layer: its plain key overrides every file's scoped key.
    assertEquals(
        2,
        new ConfigLoader()
            .file(base)
            .set("train.epochs=2")
            .load(List.of())
            .get(0)
            .train()
            .epochs());
  }

  @Test
  void anErrorNamesTheKeyOfTheLayerThatWon() throws IOException {
    Path base = dir.resolve("base.properties");
    Path later = dir.resolve("later.properties");
    Files.writeString(base, "experiments = a\nexperiment.a.sweep.windows = 3\n");
    Files.writeString(later, "sweep.windows = 0\n");
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> new ConfigLoader().file(base).file(later).load(List.of()));
    assertEquals("sweep.windows", e.key(), e.getMessage());
  }

  /**
   * Issue 16: numbers such as 0x1p-3 or 1f were accepted as a learning rate (Java's parsers take
   * hexadecimal, type suffixes, NaN, Infinity and other scripts' digits). Numbers are decimal.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "train.learning-rate=0x1p-3",
        "train.learning-rate=1f",
        "train.learning-rate=1d",
        "train.learning-rate=1D",
        "train.learning-rate=NaN",
        "train.learning-rate=Infinity",
        "train.learning-rate=1_000",
        "train.learning-rate=1e",
        "train.learning-rate=.",
        "train.learning-rate=0.0\u0661",
        "train.learning-rate=1,5",
        "train.min-improvement=0x0p0",
        "train.target-accuracy=0x1p-1",
        "train.max-seconds=10f",
        "data.values=\u0661\u0660",
        "model.hidden=\u0661\u0660",
        "seed=\u0664\u0662",
        "train.epochs=0x10",
        "train.batch-size=1e2",
      })
  void onlyPlainDecimalNumbersAreAccepted(String assignment) {
    SettingsException e =
        assertThrows(
            SettingsException.class, () -> new ConfigLoader().set(assignment).load(List.of()));
    assertEquals(assignment.substring(0, assignment.indexOf('=')), e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("expected "), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"0.01, 0.01", ".5, 0.5", "5., 5.0", "1e-3, 0.001", "1E-3, 0.001", "+0.25, 0.25"})
  void decimalNumbersAreAccepted(String text, double value) {
    assertEquals(
        value,
        new ConfigLoader()
            .set("train.learning-rate=" + text)
            .load(List.of())
            .get(0)
            .train()
            .learningRate());
  }

  @Test
  void pickingExperimentsKeepsConfigOrder() throws IOException {
    Path file = conf("experiments = x, y, z\n");
    List<ExperimentSettings> picked = new ConfigLoader().file(file).load(List.of("z", "x"));
    assertEquals(List.of("x", "z"), picked.stream().map(ExperimentSettings::name).toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "nosuch.key=1                     | nosuch.key               | unknown key",
        "data.values=abc                  | data.values              | expected an integer",
        "data.values=1                    | data.values              | >= 2",
        "data.values=0                    | data.values              | >= 2",
        "data.sequence-length=0           | data.sequence-length     | >= 1",
        "data.train-sequences=-5          | data.train-sequences     | >= 1",
        "data.eval-sequences=0            | data.eval-sequences      | >= 1",
        "data.partitions=0                | data.partitions          | >= 1",
        "sweep.lags=-1                    | sweep.lags               | >= 0",
        "sweep.lags=                      | sweep.lags               | at least one value",
        "sweep.lags=3-1                   | sweep.lags               | goes down",
        "sweep.lags=1;2                   | sweep.lags               | expected an integer",
        "sweep.lags=1,1                   | sweep.lags               | listed twice",
        "sweep.lags=25                    | sweep.lags               | < sequence length",
        "sweep.windows=0                  | sweep.windows            | >= 1",
        "sweep.windows=26                 | sweep.windows            | <= sequence length",
        "sweep.variants=stateful-ish      | sweep.variants           | unknown variant",
        "sweep.variants=,                 | sweep.variants           | at least one value",
        "model.hidden=0                   | model.hidden             | >= 1",
        "model.hidden=big                 | model.hidden             | expected an integer",
        "seed=x                           | seed                     | expected an integer",
        "train.workers=0                  | train.workers            | >= 1",
        "train.workers=many               | train.workers            | expected an integer",
        "train.batch-size=0               | train.batch-size         | >= 1",
        "train.averaging-frequency=0      | train.averaging-frequency| >= 1",
        "train.prefetch=-1                | train.prefetch           | >= 0",
        "train.save-updater=yes           | train.save-updater       | true or false",
        "train.approach=shared            | train.approach           | export, direct",
        "train.repartition=sometimes      | train.repartition        | always, never",
        "train.epochs=0                   | train.epochs             | >= 1",
        "train.learning-rate=0            | train.learning-rate      | positive",
        "train.learning-rate=fast         | train.learning-rate      | expected a number",
        "eval.batch-size=0                | eval.batch-size          | >= 1",
        "experiment.nope.seed=1           | experiment.nope.seed     | unknown experiment",
        "experiment.default.nosuch=1      | experiment.default.nosuch| unknown key",
        "novalue                          | --set                    | KEY=VALUE",
      })
  void everyBadSettingNamesItsKey(String assignment, String key, String fragment) {
    SettingsException e =
        assertThrows(
            SettingsException.class, () -> new ConfigLoader().set(assignment).load(List.of()));
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("(key " + key + ")"), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void statefulWithDl4jsOwnLstmIsRefused() throws IOException {
    // DL4J M2's own layer backpropagates truncated-BPTT segments from a zero state (FastLstmLayer).
    Path file = conf("experiments = a\nexperiment.a.sweep.variants = stateless, stateful\n");
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> new ConfigLoader().file(file).set("model.lstm=dl4j").load(List.of()));
    assertEquals("model.lstm", e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("stateful variant needs model.lstm=fast"), e.getMessage());
    assertEquals(1, new ConfigLoader().file(file).load(List.of()).size(), "fast: accepted");
    assertEquals(
        1,
        new ConfigLoader()
            .set("model.lstm=dl4j")
            .set("sweep.variants=stateless")
            .load(List.of())
            .size(),
        "dl4j without stateful: accepted");
  }

  @Test
  void badValueInAnExperimentNamesTheScopedKey() throws IOException {
    Path file = conf("experiments = a\nexperiment.a.sweep.windows = 0\n");
    SettingsException e =
        assertThrows(SettingsException.class, () -> new ConfigLoader().file(file).load(List.of()));
    assertEquals("experiment.a.sweep.windows", e.key());
    assertEquals("window must be >= 1, found 0 (key experiment.a.sweep.windows)", e.getMessage());
  }

  @Test
  void windowLongerThanTheSequenceIsRefused() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                new ConfigLoader()
                    .set("data.sequence-length=10")
                    .set("sweep.windows=11")
                    .load(List.of()));
    assertEquals("sweep.windows", e.key());
  }

  @Test
  void unknownExperimentIsRefused() throws IOException {
    Path file = conf("experiments = a\n");
    SettingsException e =
        assertThrows(
            SettingsException.class, () -> new ConfigLoader().file(file).load(List.of("b")));
    assertEquals("--experiment", e.key());
    assertTrue(e.getMessage().contains("'b'"));
  }

  @Test
  void missingConfigFileIsRefused() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> new ConfigLoader().file(dir.resolve("absent.properties")));
    assertEquals("--conf", e.key());
    assertTrue(e.getMessage().contains("does not exist"));
  }

  @Test
  void experimentsListIsValidated() throws IOException {
    Path file = conf("experiments = a, a\n");
    SettingsException e =
        assertThrows(SettingsException.class, () -> new ConfigLoader().file(file).load(List.of()));
    assertEquals("experiments", e.key());
  }

  @Test
  void tutorialConfigLoadsAsDocumented() {
    List<ExperimentSettings> all =
        new ConfigLoader().file(Path.of("conf", "tutorial.properties")).load(List.of());
    assertEquals(
        List.of("echo-current", "beginner-mistake", "echo-lag"),
        all.stream().map(ExperimentSettings::name).toList());
    assertEquals(List.of(0), all.get(0).sweep().lags());
    assertEquals(List.of(1), all.get(0).sweep().windows());
    assertEquals(List.of(15), all.get(0).model().hidden());
    assertEquals(List.of(1), all.get(1).sweep().lags());
    assertEquals(List.of(1), all.get(1).sweep().windows());
    assertEquals(List.of(5), all.get(2).sweep().windows());
    assertTrue(all.get(2).sweep().lags().containsAll(List.of(0, 1, 2, 3, 4, 5)));
  }

  /**
   * Issue 8: a file saved with a UTF-8 BOM reported {@code unknown key (key \ufeffexperiments)}.
   */
  @Test
  void byteOrderMarkIsSkipped() throws IOException {
    Path file = conf("\ufeffexperiments = a\nexperiment.a.sweep.lags = 0-2\n");
    assertEquals((byte) 0xEF, Files.readAllBytes(file)[0]);
    List<ExperimentSettings> all = new ConfigLoader().file(file).load(List.of());
    assertEquals("a", all.get(0).name());
    assertEquals(List.of(0, 1, 2), all.get(0).sweep().lags());
  }
}
