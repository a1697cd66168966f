package io.echolstm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.codec.Inputs;
import io.echolstm.config.Approach;
import io.echolstm.config.Averaging;
import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Repartitioning;
import io.echolstm.config.TrainSettings;
import io.echolstm.config.Variant;
import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceFrames;
import io.echolstm.data.SequenceGenerator;
import io.echolstm.model.NetworkFactory;
import io.echolstm.testing.SparkTestSession;
import io.echolstm.window.Frame;
import io.echolstm.window.Framing;
import io.echolstm.window.WindowFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BinaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Pins distributed training to local training: with one worker, averaging after every minibatch and
 * the updater state kept, parameter averaging must give exactly the parameters of a plain {@link
 * MultiLayerNetwork} fitted on the same minibatches in the same order; with two workers, exactly
 * the average of two local networks, each fitted on its worker's minibatches.
 */
class ParameterAveragingOracleTest extends SparkTestSession {
  private static final int VALUES = 12;
  private static final int WINDOW = 3;
  private static final int LAG = 1;
  private static final int BATCH = 8;
  private static final int MINIBATCHES = 6;
  private static final long SEED = 5;

  private static JavaSparkContext jsc;

  @BeforeAll
  static void context() {
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  /** Minibatch DataSets (as the job's training data holds them) framed from generated sequences. */
  private static List<DataSet> minibatches() {
    List<Frame> frames = new ArrayList<>();
    for (int[] s : SequenceGenerator.partition(SEED, Seeds.TRAIN_STREAM, 0, 10, VALUES, 10)) {
      frames.addAll(Framing.frame(Variant.STATELESS, 0, s, WINDOW, LAG));
    }
    List<DataSet> out = new ArrayList<>();
    for (int b = 0; b < MINIBATCHES; b++) {
      out.add(
          new Inputs(Variant.STATELESS, VALUES, WINDOW)
              .encode(frames.subList(b * BATCH, (b + 1) * BATCH))
              .toDataSet());
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"EXPORT, FAST", "DIRECT, FAST", "EXPORT, DL4J", "DIRECT, DL4J"})
  void oneWorkerAveragingEveryStepEqualsLocalFit(Approach approach, LstmImplementation lstm) {
    MultiLayerConfiguration conf =
        NetworkFactory.build(Variant.STATELESS, VALUES, 6, 0.05, SEED, WINDOW, lstm);
    TrainSettings settings = settings(1, BATCH, 1, true, approach, 1, Averaging.DL4J_SPARK);
    SparkDl4jMultiLayer sparkNet =
        new SparkDl4jMultiLayer(jsc, conf, TrainingMasters.parameterAveraging(settings, 1, SEED));
    MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
    local.init();
    INDArray initial = local.params().dup();
    assertEquals(initial, sparkNet.getNetwork().params(), "same seed, same initial parameters");

    for (DataSet minibatch : minibatches()) {
      sparkNet.fit(jsc.parallelize(List.of(minibatch), 1));
      local.fit(minibatch.copy());
    }

    INDArray distributed = sparkNet.getNetwork().params();
    assertNotEquals(initial, local.params(), "training changed the parameters");
    double l1 = distributed.sub(local.params()).norm1Number().doubleValue();
    assertEquals(0.0, l1, "L1 distance between distributed and local parameters");
  }

  // Two workers: LENGTH - firstPosition(STATELESS, 3, 1) = 10 frames per sequence = one full
  // minibatch, so every minibatch of the job's data path is full (dl4j-spark's worker re-cuts its
  // input into batches of batchSizePerWorker examples; a short minibatch would be merged with the
  // next one there, and the local networks would see other batches).
  private static final int LENGTH = 12;
  private static final int TWO_BATCH = 10;
  private static final int WORKERS = 2;
  private static final int AVERAGING = 3;
  private static final int CHUNKS = 4;
  private static final int EPOCHS = 2;
  private static final int SEQUENCES =
      24; // hashed by seq_id into two partitions of 12 sequences each

  /** Averages of two arrays as dl4j-spark's aggregate computes them: (a + b) / 2. */
  private static final BinaryOperator<INDArray> MEAN = (a, b) -> a.add(b).divi(2);

  @TempDir java.nio.file.Path exportDir;

  /**
   * The job's own path ({@link Minibatches} chunks through {@link DistributedTrainer}, Direct, two
   * workers, averaging every {@value #AVERAGING} minibatches, updater state averaged too) against
   * two local networks per round, cloned from the averaged one, each fitted on its partition's
   * minibatches of the chunk in partition order, then parameters and updater state averaged. Each
   * chunk holds exactly {@value #AVERAGING} minibatches per partition, so dl4j-spark fits it as one
   * split (no random {@code SplitPartitionsFunction} reshuffle) in one averaging round.
   *
   * <p>The comparison is exact (L1 distance 0.0), as in the one-worker oracle: each worker runs the
   * same {@code MultiLayerNetwork.fit} on the same arrays (Java serialization copies them bit for
   * bit), and the aggregate of two results is {@code (a + b) / 2} whichever arrives first
   * (floating-point addition of two operands commutes). A tolerance would hide a wrong order of a
   * single minibatch late in training. The same comparison must fail for two wrong oracles: the
   * updater state not averaged (worker 0's kept), and each worker's minibatches in reverse order.
   */
  @ParameterizedTest
  @CsvSource({"FAST, DL4J_SPARK", "DL4J, DL4J_SPARK", "FAST, RESIDENT", "DL4J, RESIDENT"})
  void twoWorkersAveragingEqualsTheMeanOfTwoLocalFits(
      LstmImplementation lstm, Averaging averaging) {
    MultiLayerConfiguration conf =
        NetworkFactory.build(Variant.STATELESS, VALUES, 6, 0.05, SEED, WINDOW, lstm);
    TrainSettings settings =
        settings(WORKERS, TWO_BATCH, AVERAGING, true, Approach.DIRECT, EPOCHS, averaging);
    var frames =
        WindowFrames.frame(
            SequenceFrames.generate(spark, SEED, Seeds.TRAIN_STREAM, SEQUENCES, 3, VALUES, LENGTH),
            Variant.STATELESS,
            WINDOW,
            LAG,
            LENGTH,
            WORKERS);
    try (DistributedTrainer trainer =
            DistributedTrainer.create(
                averaging, jsc, conf, settings, settings.workers(), SEED, exportDir.toString());
        Minibatches batches =
            Minibatches.build(
                frames, TWO_BATCH, SEED, new Inputs(Variant.STATELESS, VALUES, WINDOW))) {
      assertEquals(WORKERS, trainer.workers());
      int[] perPartition = batches.minibatchesPerPartition();
      assertEquals(
          List.of(CHUNKS * AVERAGING, CHUNKS * AVERAGING),
          java.util.Arrays.stream(perPartition).boxed().toList(),
          "minibatches per partition: one chunk = one averaging round");
      assertEquals(
          (long) TWO_BATCH * CHUNKS * AVERAGING * WORKERS, batches.examples(), "full minibatches");

      MultiLayerNetwork right = new MultiLayerNetwork(conf.clone());
      right.init();
      MultiLayerNetwork updaterNotAveraged = right.clone();
      MultiLayerNetwork reversed = right.clone();
      INDArray initial = right.params().dup();
      assertEquals(initial, trainer.network().params(), "same seed, same initial parameters");

      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        for (int c = 0; c < CHUNKS; c++) {
          List<List<DataSet>> workers = batches.chunk(epoch, c, CHUNKS).glom().collect();
          assertEquals(WORKERS, workers.size());
          for (List<DataSet> w : workers) {
            assertEquals(AVERAGING, w.size(), "minibatches of one worker in one round");
          }
          trainer.fit(batches, epoch, c, CHUNKS, batches.chunkExamples(epoch, c, CHUNKS));
          averagingRound(right, workers, false, MEAN);
          averagingRound(updaterNotAveraged, workers, false, (a, b) -> a);
          averagingRound(reversed, workers, true, MEAN);
        }
      }

      INDArray distributed = trainer.network().params();
      assertNotEquals(initial, distributed, "training changed the parameters");
      assertEquals(0.0, l1(distributed, right), "L1 distance: distributed vs two local fits");
      assertEquals(
          0.0,
          trainer
              .network()
              .getUpdater()
              .getStateViewArray()
              .sub(right.getUpdater().getStateViewArray())
              .norm1Number()
              .doubleValue(),
          "L1 distance of the updater states");
      // The oracle can fail: a wrong averaging or a wrong minibatch order is seen.
      assertTrue(
          l1(distributed, updaterNotAveraged) > 0, "updater state not averaged: must differ");
      assertTrue(l1(distributed, reversed) > 0, "minibatches in reverse order: must differ");
    }
  }

  private static double l1(INDArray a, MultiLayerNetwork b) {
    return a.sub(b.params()).norm1Number().doubleValue();
  }

  /**
   * One averaging round on local networks: a clone of {@code averaged} per worker (parameters,
   * updater state and iteration count, as dl4j-spark's broadcast gives each worker) fits that
   * worker's minibatches; then {@code averaged} takes the mean parameters and {@code
   * updaterAverage} of the updater states, and the iteration count the workers reached.
   */
  private static void averagingRound(
      MultiLayerNetwork averaged,
      List<List<DataSet>> workers,
      boolean reverse,
      BinaryOperator<INDArray> updaterAverage) {
    List<MultiLayerNetwork> fitted = new ArrayList<>();
    for (List<DataSet> minibatches : workers) {
      MultiLayerNetwork w = averaged.clone();
      List<DataSet> order = new ArrayList<>(minibatches);
      if (reverse) {
        java.util.Collections.reverse(order);
      }
      for (DataSet d : order) {
        w.fit(d.copy());
      }
      fitted.add(w);
    }
    MultiLayerNetwork a = fitted.get(0);
    MultiLayerNetwork b = fitted.get(1);
    averaged.setParameters(MEAN.apply(a.params(), b.params()));
    averaged
        .getUpdater()
        .setStateViewArray(
            averaged,
            updaterAverage.apply(
                a.getUpdater().getStateViewArray().dup(), b.getUpdater().getStateViewArray()),
            false);
    averaged
        .getLayerWiseConfigurations()
        .setIterationCount(a.getLayerWiseConfigurations().getIterationCount());
  }

  private static TrainSettings settings(
      int workers,
      int batch,
      int averagingFrequency,
      boolean saveUpdater,
      Approach approach,
      int epochs,
      Averaging averaging) {
    return new TrainSettings(
        workers,
        batch,
        averagingFrequency,
        0,
        saveUpdater,
        approach,
        Repartitioning.NEVER,
        false,
        epochs,
        0.05,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        0,
        0.0,
        averaging);
  }

  /**
   * The resident path beyond one round per chunk: chunks of several rounds with a short last round,
   * partitions of unequal length (so in some rounds one worker fits nothing and is left out of the
   * average), with and without the updater state kept, and one worker (one job per chunk). The
   * oracle replays each round on local networks: a clone of the averaged network per worker that
   * has minibatches in the round (its updater state zeroed when it is not kept), the mean of those
   * clones' parameters and updater states, and the largest iteration count they reached. Exact.
   */
  @ParameterizedTest
  @CsvSource({"2, 3, true", "2, 3, false", "2, 1, true", "1, 4, true", "1, 2, false"})
  void residentRoundsEqualLocalReplays(int workers, int averagingFrequency, boolean saveUpdater) {
    int sequences = 26;
    int batch = TWO_BATCH;
    int chunks = 2;
    MultiLayerConfiguration conf =
        NetworkFactory.build(
            Variant.STATELESS, VALUES, 6, 0.05, SEED, WINDOW, LstmImplementation.FAST);
    TrainSettings settings =
        settings(
            workers,
            batch,
            averagingFrequency,
            saveUpdater,
            Approach.DIRECT,
            EPOCHS,
            Averaging.RESIDENT);
    var frames =
        WindowFrames.frame(
            SequenceFrames.generate(spark, SEED, Seeds.TRAIN_STREAM, sequences, 3, VALUES, LENGTH),
            Variant.STATELESS,
            WINDOW,
            LAG,
            LENGTH,
            workers);
    try (DistributedTrainer trainer =
            DistributedTrainer.create(
                Averaging.RESIDENT,
                jsc,
                conf,
                settings,
                settings.workers(),
                SEED,
                exportDir.toString());
        Minibatches batches =
            Minibatches.build(frames, batch, SEED, new Inputs(Variant.STATELESS, VALUES, WINDOW))) {
      int[] perPartition = batches.minibatchesPerPartition();
      assertEquals(workers, perPartition.length);
      if (workers == 2) {
        assertNotEquals(perPartition[0], perPartition[1], "partitions of unequal length");
      }
      MultiLayerNetwork replay = new MultiLayerNetwork(conf.clone());
      replay.init();
      INDArray initial = replay.params().dup();
      boolean shortRound = false;
      int unit = trainer.chunkUnit();
      assertEquals(workers == 1 && saveUpdater ? 1 : averagingFrequency, unit);
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        for (int c = 0; c < chunks; c++) {
          List<List<DataSet>> chunk = batches.chunk(epoch, c, chunks, unit).glom().collect();
          int longest = chunk.stream().mapToInt(List::size).max().orElse(0);
          int perRound = workers == 1 && saveUpdater ? longest : averagingFrequency;
          for (int from = 0; from < longest; from += perRound) {
            List<List<DataSet>> round = new ArrayList<>();
            for (List<DataSet> w : chunk) {
              List<DataSet> share =
                  w.subList(Math.min(from, w.size()), Math.min(from + perRound, w.size()));
              shortRound |= !share.isEmpty() && share.size() < perRound;
              round.add(share);
            }
            replayRound(replay, round, saveUpdater);
          }
          trainer.fit(batches, epoch, c, chunks, batches.chunkExamples(epoch, c, chunks, unit));
        }
      }
      if (workers == 2 && averagingFrequency > 1) {
        assertTrue(shortRound, "the case has a short round");
      }
      INDArray distributed = trainer.network().params();
      assertNotEquals(initial, distributed, "training changed the parameters");
      assertEquals(0.0, l1(distributed, replay), "L1 distance: resident vs local replay");
      assertEquals(
          0.0,
          trainer
              .network()
              .getUpdater()
              .getStateViewArray()
              .sub(replay.getUpdater().getStateViewArray())
              .norm1Number()
              .doubleValue(),
          "L1 distance of the updater states");
      assertEquals(replay.getIterationCount(), trainer.network().getIterationCount());
    }
  }

  /**
   * One round replayed locally: each worker with minibatches fits them on a clone of {@code
   * averaged}; {@code averaged} takes the mean of their parameters (and updater states, when kept)
   * and the largest iteration count. Without the updater kept, each clone starts from a zero state.
   */
  private static void replayRound(
      MultiLayerNetwork averaged, List<List<DataSet>> workers, boolean saveUpdater) {
    List<MultiLayerNetwork> fitted = new ArrayList<>();
    for (List<DataSet> minibatches : workers) {
      if (minibatches.isEmpty()) {
        continue;
      }
      MultiLayerNetwork w = averaged.clone();
      if (!saveUpdater) {
        w.getUpdater().getStateViewArray().assign(0);
      }
      for (DataSet d : minibatches) {
        w.fit(d.copy());
      }
      fitted.add(w);
    }
    if (fitted.isEmpty()) {
      return;
    }
    INDArray params = fitted.get(0).params().dup();
    INDArray state = fitted.get(0).getUpdater().getStateViewArray().dup();
    int iterations = fitted.get(0).getIterationCount();
    for (MultiLayerNetwork w : fitted.subList(1, fitted.size())) {
      params.addi(w.params());
      state.addi(w.getUpdater().getStateViewArray());
      iterations = Math.max(iterations, w.getIterationCount());
    }
    if (fitted.size() > 1) {
      params.divi(fitted.size());
      state.divi(fitted.size());
    }
    averaged.setParameters(params);
    if (saveUpdater) {
      averaged.getUpdater().setStateViewArray(averaged, state, false);
    }
    averaged.setIterationCount(iterations);
  }
}
