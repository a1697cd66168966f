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
 * Fits a network with dl4j-spark parameter averaging, one {@link #fit} per chunk of training data,
 * so the caller can evaluate between chunks. Closing it deletes the training master's export files.
 */
public final class DistributedTrainer implements AutoCloseable {
  private final JavaSparkContext jsc;
  private final ParameterAveragingTrainingMaster master;
  private final SparkDl4jMultiLayer net;
  private final int workers;
  private final String exportDirectory;
  private double seconds;
  private long windows;

  /**
   * @param defaultParallelism what {@code train.workers=auto} resolves to: the run's value, fixed
   *     when it started, so every point of a run trains with the worker count its plan records
   * @param exportDirectory where the Export approach writes its minibatch files; deleted first
   *     (files a crashed run left there) and again by {@link #close}
   */
  public DistributedTrainer(
      JavaSparkContext jsc,
      MultiLayerConfiguration conf,
      TrainSettings train,
      int defaultParallelism,
      long seed,
      String exportDirectory) {
    this.jsc = jsc;
    this.exportDirectory = exportDirectory;
    this.workers = train.resolveWorkers(defaultParallelism);
    deleteExportDirectory();
    this.master = TrainingMasters.parameterAveraging(train, workers, seed, exportDirectory);
    this.net = new SparkDl4jMultiLayer(jsc, conf, master);
  }

  /**
   * One pass over {@code data} (minibatch {@code DataSet}s, see {@link Minibatches}), which holds
   * {@code windows} training windows.
   */
  public void fit(JavaRDD<DataSet> data, long windows) {
    long start = System.nanoTime();
    net.fit(data);
    seconds += (System.nanoTime() - start) / 1e9;
    this.windows += windows;
  }

  /** Wall time spent in {@link #fit} so far (with the Export approach, export included). */
  public double seconds() {
    return seconds;
  }

  /** Training windows fitted so far. */
  public long windows() {
    return windows;
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

  /** dl4j-spark's timing of its phases so far, when the settings asked for it. */
  public java.util.Optional<String> trainingStats() {
    var stats = net.getSparkTrainingStats();
    return stats == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(stats.statsAsString());
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
