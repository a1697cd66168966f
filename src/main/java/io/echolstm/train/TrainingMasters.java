package io.echolstm.train;

import io.echolstm.config.TrainSettings;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** Builds the parameter-averaging master with every knob set from {@link TrainSettings}. */
public final class TrainingMasters {
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

  /** dl4j-spark's system property naming the clock its training stats use. */
  static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";

  private static ParameterAveragingTrainingMaster.Builder builder(
      TrainSettings train, int workers, long seed) {
    if (train.collectStats() && System.getProperty(TIME_SOURCE_PROPERTY) == null) {
      // The stats' default clock queries an NTP server on the internet and fails without one.
      System.setProperty(
          TIME_SOURCE_PROPERTY, "org.deeplearning4j.spark.time.SystemClockTimeSource");
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
