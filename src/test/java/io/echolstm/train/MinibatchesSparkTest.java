package io.echolstm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.codec.Inputs;
import io.echolstm.codec.OneHot;
import io.echolstm.config.Variant;
import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceFrames;
import io.echolstm.testing.SparkTestSession;
import io.echolstm.window.FrameRows;
import io.echolstm.window.WindowFrames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Training minibatches built, cached and chunked on the executors. */
class MinibatchesSparkTest extends SparkTestSession {
  private static final int VALUES = 10;
  private static final int LENGTH = 12;
  private static final int WINDOW = 3;
  private static final int LAG = 1;

  private static Dataset<Row> frames(int sequences) {
    return WindowFrames.frame(
        SequenceFrames.generate(spark, 3, Seeds.TRAIN_STREAM, sequences, 3, VALUES, LENGTH),
        Variant.STATELESS,
        WINDOW,
        LAG,
        LENGTH,
        2);
  }

  @Test
  void chunksOfAnEpochHoldEveryWindowOnceInOnePartitionPerWorker() {
    Dataset<Row> frames = frames(40);
    long windows = frames.count();
    try (Minibatches batches =
        Minibatches.build(frames, 16, 3, new Inputs(Variant.STATELESS, VALUES, WINDOW))) {
      assertEquals(2, batches.minibatchesPerPartition().length, "one partition per worker");
      assertEquals(windows, batches.examples());
      int chunks = 3;
      long total = 0;
      List<String> seen = new ArrayList<>();
      for (int c = 0; c < chunks; c++) {
        List<DataSet> chunk = batches.chunk(1, c, chunks).collect();
        long examples = chunk.stream().mapToLong(DataSet::numExamples).sum();
        assertEquals(batches.chunkExamples(1, c, chunks), examples, "chunk " + c);
        total += examples;
        for (DataSet ds : chunk) {
          assertTrue(ds.numExamples() <= 16);
          assertArrayEquals(
              new long[] {ds.numExamples(), VALUES, WINDOW}, ds.getFeatures().shape());
          int[] labels = OneHot.decode(ds.getLabels());
          for (int i = 0; i < ds.numExamples(); i++) {
            seen.add(Arrays.toString(steps(ds.getFeatures(), i)) + "->" + labels[i]);
          }
        }
      }
      assertEquals(windows, total);
      // Every window once: the same multiset as the framed rows' features and labels.
      List<String> expected = new ArrayList<>();
      for (Row r : frames.collectAsList()) {
        var f = FrameRows.frame(r);
        expected.add(Arrays.toString(f.features()) + "->" + f.labels()[0]);
      }
      expected.sort(null);
      seen.sort(null);
      assertEquals(expected, seen);
    }
  }

  /** The one-hot steps of example {@code i} of {@code [n, values, steps]} features, decoded. */
  private static int[] steps(INDArray features, int i) {
    int[] out = new int[(int) features.size(2)];
    for (int t = 0; t < out.length; t++) {
      out[t] = -1;
      for (int v = 0; v < features.size(1); v++) {
        if (features.getDouble(i, v, t) == 1.0) {
          out[t] = v;
        }
      }
    }
    return out;
  }

  @Test
  void closingReleasesTheCache() {
    int before = spark.sparkContext().getPersistentRDDs().size();
    Minibatches batches =
        Minibatches.build(frames(10), 8, 3, new Inputs(Variant.STATELESS, VALUES, WINDOW));
    assertEquals(before + 1, spark.sparkContext().getPersistentRDDs().size());
    batches.close();
    assertEquals(before, spark.sparkContext().getPersistentRDDs().size());
  }
}
