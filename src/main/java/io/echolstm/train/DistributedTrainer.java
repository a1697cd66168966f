package io.echolstm.train;

import io.echolstm.config.TrainSettings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Fits a network with dl4j-spark parameter averaging, one {@link #fitEpoch} per pass, so the caller
 * can evaluate between epochs. Closing it deletes the training master's export files.
 */
public final class DistributedTrainer implements AutoCloseable {
  private final JavaSparkContext jsc;
  private final ParameterAveragingTrainingMaster master;
  private final SparkDl4jMultiLayer net;
  private final int workers;
  private final String exportDirectory;
  private double seconds;

  /**
   * @param exportDirectory where the Export approach writes its minibatch files; deleted first
   *     (files a crashed run left there) and again by {@link #close}
   */
  public DistributedTrainer(
      JavaSparkContext jsc,
      MultiLayerConfiguration conf,
      TrainSettings train,
      long seed,
      String exportDirectory) {
    this.jsc = jsc;
    this.exportDirectory = exportDirectory;
    this.workers = train.resolveWorkers(jsc.defaultParallelism());
    deleteExportDirectory();
    this.master = TrainingMasters.parameterAveraging(train, workers, seed, exportDirectory);
    this.net = new SparkDl4jMultiLayer(jsc, conf, master);
  }

  /**
   * One pass over {@code data}, which must not be persisted (the training master sets its own
   * storage level). Passing the same RDD again reuses the Export approach's files.
   */
  public void fitEpoch(JavaRDD<DataSet> data) {
    long start = System.nanoTime();
    net.fit(data);
    seconds += (System.nanoTime() - start) / 1e9;
  }

  /** Wall time spent in {@link #fitEpoch} so far, export included. */
  public double seconds() {
    return seconds;
  }

  /** The last minibatch score (cross-entropy) reported by the training master. */
  public double score() {
    return net.getScore();
  }

  /** The network as averaged after the last epoch. */
  public MultiLayerNetwork network() {
    return net.getNetwork();
  }

  public int workers() {
    return workers;
  }

  @Override
  public void close() {
    // deleteTempFiles removes only <export dir>/<master UID>/<RDD id>/, not the directories above.
    master.deleteTempFiles(jsc);
    deleteExportDirectory();
  }

  private void deleteExportDirectory() {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(exportDirectory);
    try {
      path.getFileSystem(jsc.hadoopConfiguration()).delete(path, true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot delete " + exportDirectory, e);
    }
  }
}
