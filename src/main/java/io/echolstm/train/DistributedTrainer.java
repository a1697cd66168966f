package io.echolstm.train;

import io.echolstm.config.TrainSettings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fits a network with dl4j-spark parameter averaging, one {@code fit} call per epoch. */
public final class DistributedTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

  /**
   * @param network the trained network (parameters as averaged after the last epoch)
   * @param workers parameter-averaging workers used
   * @param seconds wall time spent in {@code fit}, export included
   * @param score the network's last minibatch score (cross-entropy)
   */
  public record Outcome(MultiLayerNetwork network, int workers, double seconds, double score) {}

  private DistributedTrainer() {}

  /**
   * Trains on {@code data}, which must not be persisted (the training master sets its own storage
   * level). Temporary export files are deleted afterwards, also when training fails.
   *
   * @param windowsPerEpoch windows in {@code data}, for progress lines only
   */
  public static Outcome train(
      JavaSparkContext jsc,
      MultiLayerConfiguration conf,
      TrainSettings train,
      long seed,
      JavaRDD<DataSet> data,
      long windowsPerEpoch) {
    int workers = train.resolveWorkers(jsc.defaultParallelism());
    ParameterAveragingTrainingMaster master =
        TrainingMasters.parameterAveraging(train, workers, seed);
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(jsc, conf, master);
    long start = System.nanoTime();
    try {
      for (int epoch = 1; epoch <= train.epochs(); epoch++) {
        net.fit(data);
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info(
            "epoch {}/{}: score {} after {} s ({} windows/s, {} workers)",
            epoch,
            train.epochs(),
            String.format("%.4f", net.getScore()),
            String.format("%.1f", seconds),
            String.format("%.0f", windowsPerEpoch * epoch / Math.max(seconds, 1e-9)),
            workers);
      }
    } finally {
      master.deleteTempFiles(jsc);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Outcome(net.getNetwork(), workers, seconds, net.getScore());
  }
}
