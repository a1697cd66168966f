package io.echolstm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.results.ResultsSchema;
import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import io.echolstm.testing.Readme;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The declarations in {@link Settings} drive the loader, point key, columns, --help and README. */
class SettingsTest {
  private static final Map<Class<?>, DataType> SQL_TYPES =
      Map.of(
          Integer.class, DataTypes.IntegerType,
          Long.class, DataTypes.LongType,
          Double.class, DataTypes.DoubleType,
          Boolean.class, DataTypes.BooleanType,
          String.class, DataTypes.StringType);

  /** The record each key prefix names; a key without a prefix is a component of the experiment. */
  private static final Map<String, Class<? extends Record>> RECORDS =
      Map.of(
          "sweep", SweepSettings.class,
          "data", DataSettings.class,
          "model", ModelSettings.class,
          "train", TrainSettings.class,
          "eval", EvalSettings.class);

  static SweepPoint defaultPoint() {
    return SweepPlan.expand(new ConfigLoader().load(List.of())).points().get(0);
  }

  @Test
  void everyDeclarationDrivesLoaderPointKeyColumnHelpAndReadme() throws IOException {
    String key = defaultPoint().key();
    List<String> readmeRows = Readme.section("settings-table").lines().toList();
    for (Setting<?> s : Settings.ALL) {
      // the loader accepts the key, plain and experiment-scoped, and its default parses
      new ConfigLoader().set(s.key() + "=" + s.defaultValue()).load(List.of());
      new ConfigLoader()
          .set("experiment.default." + s.key() + "=" + s.defaultValue())
          .load(List.of());
      assertTrue(
          readmeRows.stream().anyMatch(r -> r.startsWith("| `" + s.key() + "` |")),
          s.key() + ": no README row");
      assertTrue(Settings.usage().contains("  " + s.key() + " "), s.key() + ": not in --help");
      // a run-level setting says so to the user; a per-point one is in the table, and in the key
      // always when it is one of the first release's (later ones only when not at their default,
      // see PointKey)
      assertEquals(!s.perPoint(), s.doc().contains("run-level"), s.key());
      if (s.perPoint()) {
        String name = s.pointKeyName().orElseThrow();
        assertEquals(
            PointKey.FROZEN.contains(name),
            key.contains(" " + name + "="),
            s.key() + ": in the default point's key " + key);
        String column = s.column().orElseThrow();
        StructField field = ResultsSchema.SCHEMA.apply(column);
        assertEquals(SQL_TYPES.get(s.columnType()), field.dataType(), column);
      }
    }
  }

  /**
   * A declaration the loader does not read into a record would be accepted and do nothing: every
   * load refuses to finish instead, naming it; so does a setting read but missing from {@link
   * Settings#ALL} (it would have no README row, column or help line).
   */
  @Test
  void aDeclarationTheLoaderDoesNotReadStopsEveryLoad() {
    Setting<Integer> unread = Setting.integer("train.unread", "unread", 1, 0, 9, "not wired");
    List<Setting<?>> declared = new ArrayList<>(Settings.ALL);
    declared.add(unread);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ConfigLoader.requireEveryOneRead(declared, new HashSet<>(Settings.ALL)));
    assertTrue(e.getMessage().startsWith("setting train.unread is declared"), e.getMessage());
    ConfigLoader.requireEveryOneRead(Settings.ALL, new HashSet<>(Settings.ALL));
  }

  @Test
  void everySettingsConstantIsInAll() throws IllegalAccessException {
    int constants = 0;
    for (Field f : Settings.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
        assertTrue(Settings.ALL.contains(f.get(null)), f.getName() + " is not in Settings.ALL");
        constants++;
      }
    }
    assertEquals(Settings.ALL.size(), constants);
  }

  /**
   * {@code data.sequence-length} is {@code DataSettings.sequenceLength}, {@code seed} is {@code
   * ExperimentSettings.seed}: a key lives in the record its prefix names, and each component of
   * those records is a declared key.
   */
  @Test
  void eachKeyLivesInTheRecordItsPrefixNames() {
    Set<String> declared = new HashSet<>();
    for (Setting<?> s : Settings.ALL) {
      int dot = s.key().indexOf('.');
      Class<? extends Record> owner =
          dot < 0 ? ExperimentSettings.class : RECORDS.get(s.key().substring(0, dot));
      assertTrue(owner != null, s.key() + ": no settings record for its prefix");
      String component = camelCase(s.key().substring(dot + 1));
      assertTrue(
          Arrays.stream(owner.getRecordComponents()).anyMatch(c -> c.getName().equals(component)),
          s.key() + " is not " + owner.getSimpleName() + "." + component);
      declared.add(s.key());
    }
    RECORDS.forEach(
        (prefix, type) -> {
          for (RecordComponent c : type.getRecordComponents()) {
            String key = prefix + "." + c.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            assertTrue(declared.contains(key), type.getSimpleName() + "." + c.getName());
          }
        });
  }

  private static String camelCase(String key) {
    StringBuilder out = new StringBuilder();
    for (String part : key.split("-")) {
      out.append(
          out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return out.toString();
  }

  @Test
  void readmeKeyTableIsGeneratedFromTheDeclarations() throws IOException {
    assertEquals(
        Settings.markdownTable(),
        Readme.section("settings-table"),
        "README.md's key table drifted from config/Settings.java; paste Settings.markdownTable()");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "data.values=10001               | <= 10000",
        "data.sequence-length=10001      | <= 10000",
        "data.train-sequences=1000001    | <= 1000000",
        "data.eval-sequences=1000001     | <= 1000000",
        "data.validation-sequences=1000001 | <= 1000000",
        "data.partitions=10001           | <= 10000",
        "sweep.windows=10001             | <= 10000",
        "sweep.lags=10000                | <= 9999",
        "sweep.concurrency=257           | <= 256",
        "model.hidden=4097               | <= 4096",
        "train.workers=1025              | <= 1024",
        "train.batch-size=65537          | <= 65536",
        "train.averaging-frequency=100001| <= 100000",
        "train.prefetch=65               | <= 64",
        "train.epochs=10001              | <= 10000",
        "train.patience=10001            | <= 10000",
        "eval.every-windows=2147483647   | <= 1000000000",
        "eval.batch-size=65537           | <= 65536",
      })
  void everySizeHasACeiling(String assignment, String fragment) {
    String key = assertRefused(assignment, fragment);
    String scoped = "experiment.default." + assignment;
    SettingsException s =
        assertThrows(SettingsException.class, () -> new ConfigLoader().set(scoped).load(List.of()));
    assertEquals("experiment.default." + key, s.key(), s.getMessage());
  }

  @Test
  void ceilingsThemselvesAreAccepted() {
    new ConfigLoader()
        .set("data.values=10000")
        .set("model.hidden=4096")
        .set("train.prefetch=64")
        .set("eval.batch-size=65536")
        .set("train.batch-size=65536")
        .set("sweep.concurrency=256")
        .set("train.workers=1024")
        .load(List.of());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sweep.variants=stateless,stateless | value stateless is listed twice",
        "sweep.variants=masked,seq2seq,masked | value masked is listed twice",
        "sweep.lags=1,1                     | listed twice",
        "sweep.lags=0-2,1                   | listed twice",
        "sweep.windows=5,5                  | listed twice",
        "model.hidden=50,50                 | listed twice",
      })
  void duplicatedListValuesAreRefused(String assignment, String fragment) {
    assertRefused(assignment, fragment);
  }

  /** {@code KEY=VALUE} is refused naming KEY, with {@code fragment} in the message; returns KEY. */
  private static String assertRefused(String assignment, String fragment) {
    String key = assignment.substring(0, assignment.indexOf('='));
    SettingsException e =
        assertThrows(
            SettingsException.class, () -> new ConfigLoader().set(assignment).load(List.of()));
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    return key;
  }

  @Test
  void recordsBuiltInCodeAreCheckedByTheSameDeclarations() {
    SettingsException e =
        assertThrows(SettingsException.class, () -> new DataSettings(100, 25, 10, 10, 10, 10_001));
    assertEquals("partitions must be <= 10000, found 10001 (key data.partitions)", e.getMessage());
    SettingsException dup =
        assertThrows(
            SettingsException.class,
            () ->
                new SweepSettings(
                    List.of(Variant.MASKED, Variant.MASKED),
                    List.of(1),
                    List.of(5),
                    0,
                    LagSearch.GRID));
    assertEquals("sweep.variants", dup.key());
    assertEquals(
        "eval.batch-size",
        assertThrows(SettingsException.class, () -> new EvalSettings(5000, 0)).key());
    ExperimentSettings ok = new ConfigLoader().load(List.of()).get(0);
    SettingsException stateful =
        assertThrows(
            SettingsException.class,
            () ->
                new ExperimentSettings(
                    "x",
                    "",
                    List.of(1L),
                    new SweepSettings(
                        List.of(Variant.STATEFUL), List.of(1), List.of(5), 0, LagSearch.GRID),
                    ok.data(),
                    new ModelSettings(List.of(50), LstmImplementation.DL4J, ModelSave.AUTO),
                    ok.train(),
                    ok.eval()));
    assertEquals("model.lstm", stateful.key());
  }
}
