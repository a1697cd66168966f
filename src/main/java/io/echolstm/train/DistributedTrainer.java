package io.echolstm.train;

import io.echolstm.config.Averaging;
import io.echolstm.config.TrainSettings;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Fits one network by parameter averaging over a point's cached {@link Minibatches}, one {@link
 * #fit} per chunk of an epoch, so the caller can evaluate between chunks. Closing it releases what
 * it holds on the driver and the executors.
 */
public interface DistributedTrainer extends AutoCloseable {

  /**
   * The trainer {@code averaging} names.
   *
   * @param workers the point's parameter-averaging workers ({@code train.workers=auto} resolved
   *     from the run's default parallelism, fixed when it started, and the point's size)
   * @param exportDirectory where dl4j-spark's Export approach writes its minibatch files
   */
  static DistributedTrainer create(
      Averaging averaging,
      JavaSparkContext jsc,
      MultiLayerConfiguration conf,
      TrainSettings train,
      int workers,
      long seed,
      String exportDirectory) {
    return switch (averaging) {
      case RESIDENT ->
          new ResidentAveraging(
              jsc,
              conf,
              workers,
              train.averagingFrequency(),
              train.saveUpdater(),
              train.collectStats());
      case DL4J_SPARK -> new Dl4jSparkTrainer(jsc, conf, train, workers, seed, exportDirectory);
    };
  }

  /**
   * Chunks are cut at multiples of this many minibatches per worker ({@link
   * Minibatches#chunkExamples(int, int, int, int)}): the minibatches of an averaging round, so that
   * no chunk ends with a short round.
   */
  int chunkUnit();

  /**
   * Fits chunk {@code chunk} of {@code chunks} of epoch {@code epoch}, cut at multiples of {@link
   * #chunkUnit()}, which holds {@code windows} training windows.
   */
  void fit(Minibatches batches, int epoch, int chunk, int chunks, long windows);

  /** Wall time spent in {@link #fit} so far. */
  double seconds();

  /** Training windows fitted so far. */
  long windows();

  /** The mean of the workers' last minibatch scores (cross-entropy) of the last round. */
  double score();

  /** The network as averaged after the last {@link #fit}. */
  MultiLayerNetwork network();

  int workers();

  /** The time split of training so far, when the settings asked for it. */
  Optional<String> trainingStats();

  @Override
  void close();
}
