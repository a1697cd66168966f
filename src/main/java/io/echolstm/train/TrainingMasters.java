package io.echolstm.train;

import io.echolstm.config.TrainSettings;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the parameter-averaging master with every knob set from {@link TrainSettings}. */
public final class TrainingMasters {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingMasters.class);

  /** The clock the launcher names in {@link #TIME_SOURCE_PROPERTY}. */
  static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

  private TrainingMasters() {}

  public static ParameterAveragingTrainingMaster parameterAveraging(
      TrainSettings train, int workers, long seed) {
    return builder(train, workers, seed).build();
  }

  /**
   * As {@link #parameterAveraging(TrainSettings, int, long)}, with the Export approach's files
   * under {@code exportDirectory} instead of dl4j-spark's default {@code ${hadoop.tmp.dir}/dl4j/}.
   */
  public static ParameterAveragingTrainingMaster parameterAveraging(
      TrainSettings train, int workers, long seed, String exportDirectory) {
    return builder(train, workers, seed).exportDirectory(exportDirectory).build();
  }

  /**
   * dl4j-spark's system property naming the clock its training stats use, read in every JVM that
   * collects them (the driver and each executor). Its default clock queries the NTP server {@code
   * 0.pool.ntp.org} and fails without internet access, so the launcher sets it for the driver and
   * executors ({@code scripts/run.sh}, {@code conf/spark-cluster.conf}): a JVM-wide setting is the
   * launcher's to make, not a side effect of building a master.
   */
  static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";

  private static final AtomicBoolean WARNED_TIME_SOURCE = new AtomicBoolean();

  private static ParameterAveragingTrainingMaster.Builder builder(
      TrainSettings train, int workers, long seed) {
    if (train.collectStats()
        && System.getProperty(TIME_SOURCE_PROPERTY) == null
        && WARNED_TIME_SOURCE.compareAndSet(false, true)) {
      LOG.warn(
          "train.collect-stats=true but -D{} is not set: dl4j-spark's stats will query the NTP"
              + " server 0.pool.ntp.org, and training fails without internet access; scripts/run.sh"
              + " sets it to {} (see README)",
          TIME_SOURCE_PROPERTY,
          SYSTEM_CLOCK);
    }
    // Each DataSet of the training RDD is one minibatch (see Minibatches).
    return new ParameterAveragingTrainingMaster.Builder(workers, train.batchSize())
        .batchSizePerWorker(train.batchSize())
        .averagingFrequency(train.averagingFrequency())
        .workerPrefetchNumBatches(train.prefetch())
        .saveUpdater(train.saveUpdater())
        .rddTrainingApproach(
            switch (train.approach()) {
              case EXPORT -> RDDTrainingApproach.Export;
              case DIRECT -> RDDTrainingApproach.Direct;
            })
        .repartionData(
            switch (train.repartition()) {
              case ALWAYS -> Repartition.Always;
              case NEVER -> Repartition.Never;
              case NUM_PARTITIONS_WORKERS_DIFFERS -> Repartition.NumPartitionsWorkersDiffers;
            })
        .repartitionStrategy(RepartitionStrategy.Balanced)
        // Minibatches caches the training data itself; a chunk handed to fit must not be cached
        // again (dl4j-spark would also never release it).
        .storageLevel(null)
        .storageLevelStreams(StorageLevel.MEMORY_ONLY())
        .aggregationDepth(2)
        .collectTrainingStats(train.collectStats())
        .rngSeed(seed);
  }
}
