package io.echolstm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.codec.Inputs;
import io.echolstm.config.Variant;
import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceFrames;
import io.echolstm.testing.SparkTestSession;
import io.echolstm.testing.TinyModels;
import io.echolstm.window.Frame;
import io.echolstm.window.WindowFrames;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scoring on the executors (a broadcast network rebuilt per partition, partial totals folded)
 * against {@link Scorer} on the driver, for the same frames and network: the metrics written to the
 * table must not depend on where they were computed.
 */
class DistributedEvaluatorSparkTest extends SparkTestSession {
  private static final int VALUES = 10;
  private static final int LENGTH = 10;
  private static final int WINDOW = 3;
  private static final int LAG = 1;

  /** A batch size that divides no partition's frames evenly: partial batches everywhere. */
  private static final int BATCH = 7;

  /** Scores the framed held-out stream both ways and checks they agree. */
  private static Metrics compare(Variant variant, int sequences, int partitions) {
    // Untrained (initialised from its seed): about one label in ten right, by chance.
    MultiLayerNetwork net =
        TinyModels.trained(new TinyModels.Problem(variant, VALUES, WINDOW, LAG, LENGTH), 0, 5);
    Inputs inputs = new Inputs(variant, VALUES, WINDOW);
    HeldOut frames =
        HeldOut.cache(
            WindowFrames.frame(
                SequenceFrames.generate(
                    spark, 23, Seeds.EVAL_STREAM, sequences, partitions, VALUES, LENGTH),
                variant,
                WINDOW,
                LAG,
                LENGTH,
                partitions));
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Metrics distributed = DistributedEvaluator.evaluate(jsc, net, inputs, frames, BATCH);
      // Each partition's frames scored on the driver in the same batches as on its executor (a
      // float32 network's outputs for a frame may differ in the last bits with its batch).
      Metrics driver = Metrics.EMPTY;
      for (List<Frame> partition : frames.frames().glom().collect()) {
        driver = driver.plus(new Scorer(net, inputs, BATCH).score(partition.iterator()));
      }
      // The same per-label terms from the same batches; partial sums folded in whatever order
      // the partitions finish: equal up to the rounding of that order.
      ScorerTest.assertMetrics(driver, distributed, 1e-12 * driver.lossSum());
      List<Frame> all = frames.frames().collect();
      // Every frame and every unmasked label counted once.
      assertEquals(all.size(), distributed.samples());
      assertEquals(
          all.stream()
              .flatMapToInt(f -> Arrays.stream(f.labels()))
              .filter(l -> l != Frame.MISSING)
              .count(),
          distributed.labels());

      List<Frame> sample = DistributedEvaluator.sample(frames, 0);
      List<Frame> expected =
          all.stream()
              .filter(f -> f.seqId() == 0)
              .sorted(Comparator.comparingInt(Frame::pos))
              .toList();
      assertEquals(expected, sample, "sequence 0's frames in position order");
      // The test stage's single job: the same metrics, and sequence 0 echoed as the driver echoes
      // it (no frames of sequence 0: nothing echoed).
      DistributedEvaluator.Scored scored =
          DistributedEvaluator.evaluateWithSample(jsc, net, inputs, frames, BATCH, 0);
      ScorerTest.assertMetrics(driver, scored.metrics(), 1e-12 * driver.lossSum());
      int[][] echo = new Scorer(net, inputs, BATCH).expectedAndPredicted(expected);
      assertEquals(Arrays.toString(echo[0]), Arrays.toString(scored.expected()));
      assertEquals(Arrays.toString(echo[1]), Arrays.toString(scored.predicted()));
      return distributed;
    } finally {
      frames.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void executorsScoreAsTheDriverDoes(Variant variant) {
    Metrics m = compare(variant, 30, 3);
    // The comparison covers right and wrong predictions alike.
    assertTrue(m.correct() > 0 && m.correct() < m.labels(), m.toString());
  }

  @ParameterizedTest
  @CsvSource({"2, 5", "1, 3"})
  void emptyPartitionsAddNothing(int sequences, int partitions) {
    compare(Variant.SEQ2SEQ, sequences, partitions);
  }
}
