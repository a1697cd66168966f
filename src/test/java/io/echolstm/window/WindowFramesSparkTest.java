package io.echolstm.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echolstm.config.Variant;
import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceFrames;
import io.echolstm.data.SequenceGenerator;
import io.echolstm.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeLike;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scala.collection.JavaConverters;

/** The Spark sequences and SQL windows against the pure-Java generator and reference framing. */
class WindowFramesSparkTest extends SparkTestSession {
  private static final long SEED = 11;
  private static final int SEQUENCES = 13;
  private static final int PARTITIONS = 3;
  private static final int VALUES = 20;
  private static final int LENGTH = 9;

  private static Dataset<Row> sequences() {
    return SequenceFrames.generate(
        spark, SEED, Seeds.TRAIN_STREAM, SEQUENCES, PARTITIONS, VALUES, LENGTH);
  }

  /** The sequences as the pure generator makes them, by global id. */
  private static Map<Long, int[]> reference() {
    Map<Long, int[]> out = new TreeMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      long id = SequenceGenerator.firstIdIn(p, SEQUENCES, PARTITIONS);
      int count = SequenceGenerator.countIn(p, SEQUENCES, PARTITIONS);
      for (int[] s :
          SequenceGenerator.partition(SEED, Seeds.TRAIN_STREAM, p, count, VALUES, LENGTH)) {
        out.put(id++, s);
      }
    }
    return out;
  }

  @Test
  void sparkSequencesEqualThePureGenerator() {
    Map<Long, int[]> fromSpark = new TreeMap<>();
    for (Row r : sequences().collectAsList()) {
      fromSpark.computeIfAbsent(r.getLong(0), k -> new int[LENGTH])[r.getInt(1)] = r.getInt(2);
    }
    Map<Long, int[]> expected = reference();
    assertEquals(expected.keySet(), fromSpark.keySet());
    expected.forEach(
        (id, s) -> assertEquals(Arrays.toString(s), Arrays.toString(fromSpark.get(id))));
    assertEquals(PARTITIONS, sequences().rdd().getNumPartitions());
  }

  /** Every frame, controls (lag >= window: STATELESS 3,7, MASKED 3,6, SEQ2SEQ 3,5) included. */
  @ParameterizedTest(name = "{0} window {1}, lag {2}")
  @CsvSource({
    "STATELESS,1,0",
    "STATELESS,1,1",
    "STATELESS,5,0",
    "STATELESS,5,4",
    "STATELESS,5,5",
    "STATELESS,3,7",
    "STATELESS,9,8",
    "MASKED,1,0",
    "MASKED,5,2",
    "MASKED,3,6",
    "WHOLE_SEQUENCE,1,0",
    "WHOLE_SEQUENCE,1,7",
    "SEQ2SEQ,1,0",
    "SEQ2SEQ,4,2",
    "SEQ2SEQ,3,5",
    "STATEFUL,1,1",
    "STATEFUL,3,1",
    "STATEFUL,2,4",
    "STATEFUL,1,0",
    "STATEFUL,9,8",
    "STATEFUL,4,8",
    "SEQ2SEQ,9,8",
    "SEQ2SEQ,1,8",
    "SEQ2SEQ,2,7",
    "MASKED,9,8",
    "MASKED,9,0",
    "WHOLE_SEQUENCE,9,8"
  })
  void dataFrameFramesEqualTheReference(Variant variant, int window, int lag) {
    Dataset<Row> framed = WindowFrames.frame(sequences(), variant, window, lag, LENGTH, PARTITIONS);
    List<Frame> expected = new ArrayList<>();
    reference().forEach((id, s) -> expected.addAll(Framing.frame(variant, id, s, window, lag)));
    List<Frame> actual = new ArrayList<>();
    for (Row r : framed.orderBy("seq_id", "pos").collectAsList()) {
      actual.add(FrameRows.frame(r));
    }
    // Every frame of every sequence, counted from the variant's own arithmetic, so the reference
    // and the DataFrame cannot agree on dropping frames (a stateful frame is a whole sequence).
    int samples = Framing.samplesPerSequence(variant, LENGTH, window, lag);
    int framesPerSequence = variant == Variant.STATEFUL ? Math.min(1, samples) : samples;
    assertEquals((long) SEQUENCES * framesPerSequence, expected.size(), "frames of the reference");
    assertEquals(expected, actual);
  }

  @Test
  void schemaMatchesTheDeclaredOne() {
    StructField[] fields =
        WindowFrames.frame(sequences(), Variant.STATELESS, 3, 1, LENGTH, PARTITIONS)
            .schema()
            .fields();
    StructField[] declared = WindowFrames.SCHEMA.fields();
    assertEquals(declared.length, fields.length);
    for (int i = 0; i < fields.length; i++) {
      assertEquals(declared[i].name(), fields[i].name());
      assertEquals(declared[i].dataType().typeName(), fields[i].dataType().typeName());
    }
  }

  @Test
  void partitionContentsAndOrderAreRepeatable() {
    List<List<Row>> first =
        WindowFrames.frame(sequences(), Variant.STATEFUL, 1, 0, LENGTH, PARTITIONS)
            .toJavaRDD()
            .glom()
            .collect();
    List<List<Row>> second =
        WindowFrames.frame(sequences(), Variant.STATEFUL, 1, 0, LENGTH, PARTITIONS)
            .toJavaRDD()
            .glom()
            .collect();
    assertEquals(PARTITIONS, first.size());
    assertEquals(first, second);
  }

  /**
   * Issue 16 case 5: one lag() per step made the query grow with the window (window 2,000 took 167
   * s to frame one window, window 300 about 30 s). Every variant's query has the same window
   * expressions at any window length.
   */
  @ParameterizedTest
  @CsvSource({"STATELESS,0", "MASKED,2", "SEQ2SEQ,3", "STATEFUL,1", "WHOLE_SEQUENCE,4"})
  void theQueryDoesNotGrowWithTheWindow(Variant variant, int lag) {
    assertEquals(
        windowExpressions(variant, 2, lag), windowExpressions(variant, 9, lag), variant.toString());
  }

  private static long windowExpressions(Variant variant, int window, int lag) {
    String plan =
        WindowFrames.frame(sequences(), variant, window, lag, LENGTH, PARTITIONS)
            .queryExecution()
            .analyzed()
            .toString();
    return Pattern.compile("windowspecdefinition").matcher(plan).results().count();
  }

  /** The largest window a sequence this long allows, framed in seconds (it took minutes). */
  @Test
  @Timeout(90)
  void aLongWindowIsFramedInSeconds() {
    int length = 2_000;
    Dataset<Row> one =
        SequenceFrames.generate(spark, SEED, Seeds.TRAIN_STREAM, 1, 1, VALUES, length);
    List<Row> framed =
        WindowFrames.frame(one, Variant.STATELESS, length, 0, length, 1).collectAsList();
    assertEquals(1, framed.size());
    int[] values = new int[length];
    for (Row r : one.collectAsList()) {
      values[r.getInt(1)] = r.getInt(2);
    }
    assertEquals(
        Framing.frame(Variant.STATELESS, 0, values, length, 0).get(0),
        FrameRows.frame(framed.get(0)));
  }

  /**
   * Framing cached, co-located sequences (as a run shares them between its points) runs no shuffle,
   * for every variant (the stateful variant's per-sequence aggregate included), and gives the same
   * partitions, in the same order, as framing the raw sequences.
   */
  @ParameterizedTest(name = "{0} window {1}, lag {2}")
  @CsvSource({"STATELESS,3,1", "MASKED,3,2", "WHOLE_SEQUENCE,1,2", "SEQ2SEQ,3,1", "STATEFUL,3,1"})
  void framingCachedColocatedSequencesShufflesNothing(Variant variant, int window, int lag) {
    Dataset<Row> colocated = WindowFrames.colocate(sequences(), PARTITIONS).cache();
    try {
      colocated.count();
      Dataset<Row> framed = WindowFrames.frame(colocated, variant, window, lag, LENGTH);
      SparkPlan plan = framed.queryExecution().executedPlan();
      assertEquals(0, shuffles(plan), plan.toString());
      assertEquals(
          1,
          shuffles(
              WindowFrames.frame(sequences(), variant, window, lag, LENGTH, PARTITIONS)
                  .queryExecution()
                  .executedPlan()),
          "the count sees the one shuffle of uncached sequences");
      assertEquals(
          WindowFrames.frame(sequences(), variant, window, lag, LENGTH, PARTITIONS)
              .toJavaRDD()
              .glom()
              .collect(),
          framed.toJavaRDD().glom().collect());
    } finally {
      colocated.unpersist(true);
    }
  }

  /** Shuffles a plan runs itself (not those inside the cached relations it reads). */
  private static int shuffles(SparkPlan plan) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      return shuffles(adaptive.inputPlan());
    }
    if (plan instanceof InMemoryTableScanExec) {
      return 0;
    }
    int n = plan instanceof ShuffleExchangeLike ? 1 : 0;
    for (SparkPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      n += shuffles(child);
    }
    return n;
  }
}
