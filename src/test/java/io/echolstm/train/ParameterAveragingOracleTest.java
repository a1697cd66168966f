package io.echolstm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.echolstm.config.Approach;
import io.echolstm.config.Repartitioning;
import io.echolstm.config.TrainSettings;
import io.echolstm.config.Variant;
import io.echolstm.data.Seeds;
import io.echolstm.data.SequenceGenerator;
import io.echolstm.model.LstmImplementation;
import io.echolstm.model.NetworkFactory;
import io.echolstm.testing.SparkTestSession;
import io.echolstm.window.Frame;
import io.echolstm.window.Framing;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Pins distributed training to local training: with one worker, averaging after every minibatch and
 * the updater state kept, parameter averaging must give exactly the parameters of a plain {@link
 * MultiLayerNetwork} fitted on the same minibatches in the same order.
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
          OneHot.batch(frames.subList(b * BATCH, (b + 1) * BATCH), VALUES, false, false)
              .toDataSet());
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"EXPORT, FAST", "DIRECT, FAST", "EXPORT, DL4J", "DIRECT, DL4J"})
  void oneWorkerAveragingEveryStepEqualsLocalFit(Approach approach, LstmImplementation lstm) {
    MultiLayerConfiguration conf =
        NetworkFactory.build(Variant.STATELESS, VALUES, 6, 0.05, SEED, WINDOW, lstm);
    TrainSettings settings =
        new TrainSettings(
            1,
            BATCH,
            1,
            0,
            true,
            approach,
            Repartitioning.NEVER,
            false,
            lstm,
            1,
            0.05,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            0,
            0.0,
            1000);
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
}
