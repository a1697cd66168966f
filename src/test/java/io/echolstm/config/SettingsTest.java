package io.echolstm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.results.ResultsSchema;
import io.echolstm.sweep.SweepPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The declarations in {@link Settings} drive the loader, point key, columns, --help and README. */
class SettingsTest {
  /** Settings that do not decide a point's result: neither in the point key nor a column. */
  private static final Set<String> RUN_LEVEL =
      Set.of("sweep.concurrency", "train.collect-stats", "model.save");

  /** Columns that are not settings: identity, metrics and provenance. */
  private static final Set<String> NOT_SETTINGS =
      Set.of(
          "run_id",
          "point_id",
          "point_key",
          "experiment",
          "control",
          "accuracy",
          "reachable_accuracy",
          "exact_match_accuracy",
          "loss",
          "chance_accuracy",
          "validation_accuracy",
          "validation_loss",
          "eval_windows",
          "eval_labels",
          "train_windows",
          "epochs",
          "stop_reason",
          "windows_to_target",
          "seconds_to_target",
          "history",
          "train_seconds",
          "prepare_seconds",
          "windows_per_second",
          "final_train_score",
          "sample_expected",
          "sample_predicted",
          "model_path",
          "master",
          "spark_version",
          "dl4j_version",
          "java_version",
          "os_name",
          "os_arch",
          "started_at",
          "ended_at");

  private static final Map<Class<?>, DataType> SQL_TYPES =
      Map.of(
          Integer.class, DataTypes.IntegerType,
          Long.class, DataTypes.LongType,
          Double.class, DataTypes.DoubleType,
          Boolean.class, DataTypes.BooleanType,
          String.class, DataTypes.StringType);

  static SweepPoint defaultPoint() {
    ExperimentSettings e = new ConfigLoader().load(List.of()).get(0);
    return new SweepPoint(
        e.name(),
        e.variants().get(0),
        e.lags().get(0),
        e.windows().get(0),
        e.hidden().get(0),
        e.seed(),
        e.data(),
        e.train(),
        e.evalBatchSize());
  }

  @Test
  void everyDeclarationDrivesLoaderPointKeyColumnHelpAndReadme() throws IOException {
    String key = defaultPoint().key();
    List<String> readmeRows = readmeTable().lines().toList();
    List<String> settingColumns = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      // the loader accepts the key, plain and experiment-scoped, and its default parses
      new ConfigLoader().set(s.key() + "=" + s.defaultValue()).load(List.of());
      new ConfigLoader()
          .set("experiment.default." + s.key() + "=" + s.defaultValue())
          .load(List.of());
      assertTrue(
          readmeRows.stream().anyMatch(r -> r.startsWith("| `" + s.key() + "` |")),
          s.key() + ": no README row");
      if (RUN_LEVEL.contains(s.key())) {
        assertTrue(!s.perPoint(), s.key() + " is run-level");
        continue;
      }
      assertTrue(s.perPoint(), s.key() + " must be recorded per point");
      String name = s.pointKeyName().orElseThrow();
      assertTrue(key.contains(" " + name + "="), s.key() + ": not in point key " + key);
      String column = s.column().orElseThrow();
      StructField field = ResultsSchema.SCHEMA.apply(column);
      assertEquals(SQL_TYPES.get(s.columnType()), field.dataType(), column);
      settingColumns.add(column);
    }
    // every results column is a declared setting or a known identity/metric/provenance column
    for (String column : ResultsSchema.SCHEMA.fieldNames()) {
      assertTrue(
          settingColumns.contains(column) || NOT_SETTINGS.contains(column),
          column + " is neither a declared setting nor a known non-setting column");
    }
    assertEquals(Settings.ALL.size() - RUN_LEVEL.size(), settingColumns.size());
  }

  /** Point keys name the points an existing table holds: they must not change with the code. */
  @Test
  void pointKeyOfTheDefaultsIsUnchanged() {
    assertEquals(
        "experiment=default variant=stateless lag=1 window=5 hidden=50 seed=42 values=100"
            + " sequence_length=25 train_sequences=2000 eval_sequences=200"
            + " validation_sequences=200 partitions=4 workers=auto batch_size=128"
            + " averaging_frequency=20 prefetch=0 save_updater=true lstm=fast approach=direct"
            + " repartition=never epochs=3 learning_rate=0.01 target_accuracy=none"
            + " max_seconds=none patience=3 min_improvement=0.01 eval_every_windows=5000"
            + " eval_batch_size=256",
        defaultPoint().key());
    TrainSettings t =
        new TrainSettings(
            2,
            32,
            5,
            1,
            false,
            Approach.EXPORT,
            Repartitioning.NUM_PARTITIONS_WORKERS_DIFFERS,
            true,
            LstmImplementation.DL4J,
            4,
            0.5,
            OptionalDouble.of(0.99),
            OptionalDouble.of(60),
            0,
            0.0,
            100);
    SweepPoint p =
        new SweepPoint(
            "x", Variant.WHOLE_SEQUENCE, 2, 3, 7, -1, new DataSettings(10, 9, 8, 7, 6, 5), t, 64);
    assertEquals(
        "experiment=x variant=whole-sequence lag=2 window=3 hidden=7 seed=-1 values=10"
            + " sequence_length=9 train_sequences=8 eval_sequences=7 validation_sequences=6"
            + " partitions=5 workers=2 batch_size=32 averaging_frequency=5 prefetch=1"
            + " save_updater=false lstm=dl4j approach=export"
            + " repartition=num-partitions-workers-differs epochs=4 learning_rate=0.5"
            + " target_accuracy=0.99 max_seconds=60.0 patience=0 min_improvement=0.0"
            + " eval_every_windows=100 eval_batch_size=64",
        p.key());
  }

  @Test
  void readmeKeyTableIsGeneratedFromTheDeclarations() throws IOException {
    assertEquals(
        Settings.markdownTable(),
        readmeTable(),
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
    ExperimentSettings ok = new ConfigLoader().load(List.of()).get(0);
    SettingsException dup =
        assertThrows(
            SettingsException.class,
            () ->
                new ExperimentSettings(
                    "x",
                    "",
                    1,
                    ok.data(),
                    ok.train(),
                    256,
                    List.of(1),
                    List.of(5),
                    List.of(50),
                    List.of(Variant.MASKED, Variant.MASKED),
                    0,
                    ModelSave.AUTO));
    assertEquals("sweep.variants", dup.key());
  }

  private static String readmeTable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int begin = readme.indexOf('\n', readme.indexOf("<!-- settings-table:begin")) + 1;
    int end = readme.indexOf("<!-- settings-table:end -->");
    assertTrue(begin > 0 && end > begin, "README.md lacks the settings-table markers");
    return readme.substring(begin, end);
  }
}
