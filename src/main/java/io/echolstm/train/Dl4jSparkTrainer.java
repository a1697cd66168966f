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
 * The reference path: dl4j-spark's {@link ParameterAveragingTrainingMaster}, one {@code
 * SparkDl4jMultiLayer.fit} per chunk of training data. Each fit is its own series of Spark jobs (a
 * count, then per split a broadcast, a new network per worker and a tree aggregate). Closing it
 * deletes the training master's export files.
 */
final class Dl4jSparkTrainer implements DistributedTrainer {
  private final JavaSparkContext jsc;
  private final ParameterAveragingTrainingMaster master;
  private final SparkDl4jMultiLayer net;
  private final int workers;
  private final String exportDirectory;
  private double seconds;
  private long windows;

  /**
   * @param workers the point's workers ({@code train.workers=auto} resolved)
   * @param exportDirectory where the Export approach writes its minibatch files; deleted first
   *     (files a crashed run left there) and again by {@link #close}
   */
  Dl4jSparkTrainer(
      JavaSparkContext jsc,
      MultiLayerConfiguration conf,
      TrainSettings train,
      int workers,
      long seed,
      String exportDirectory) {
    this.jsc = jsc;
    this.exportDirectory = exportDirectory;
    this.workers = workers;
    deleteExportDirectory();
    this.master = TrainingMasters.parameterAveraging(train, workers, seed, exportDirectory);
    this.net = new SparkDl4jMultiLayer(jsc, conf, master);
  }

  /** dl4j-spark splits each fit's data itself: chunks are cut anywhere. */
  @Override
  public int chunkUnit() {
    return 1;
  }

  @Override
  public void fit(Minibatches batches, int epoch, int chunk, int chunks, long windows) {
    fit(batches.chunk(epoch, chunk, chunks), windows);
  }

  /**
   * One pass over {@code data} (minibatch {@code DataSet}s, see {@link Minibatches}), which holds
   * {@code windows} training windows.
   */
  void fit(JavaRDD<DataSet> data, long windows) {
    long start = System.nanoTime();
    net.fit(data);
    seconds += (System.nanoTime() - start) / 1e9;
    this.windows += windows;
  }

  /** Wall time spent in {@link #fit} so far (with the Export approach, export included). */
  @Override
  public double seconds() {
    return seconds;
  }

  /** Training windows fitted so far. */
  @Override
  public long windows() {
    return windows;
  }

  /** The last minibatch score (cross-entropy) reported by the training master. */
  @Override
  public double score() {
    return net.getScore();
  }

  /** The network as averaged after the last epoch. */
  @Override
  public MultiLayerNetwork network() {
    return net.getNetwork();
  }

  @Override
  public int workers() {
    return workers;
  }

  /** dl4j-spark's timing of its phases so far, when the settings asked for it. */
  @Override
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
