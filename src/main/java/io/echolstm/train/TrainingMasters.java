package io.echolstm.train;

import io.echolstm.config.TrainSettings;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** Builds the parameter-averaging master with every knob set from {@link TrainSettings}. */
public final class TrainingMasters {
  /** Examples in each {@code DataSet} of the training RDD (see {@link RowToDataSet}). */
  public static final int EXAMPLES_PER_DATASET = 1;

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

  private static ParameterAveragingTrainingMaster.Builder builder(
      TrainSettings train, int workers, long seed) {
    return new ParameterAveragingTrainingMaster.Builder(workers, EXAMPLES_PER_DATASET)
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
        .storageLevel(StorageLevel.MEMORY_ONLY_SER())
        .storageLevelStreams(StorageLevel.MEMORY_ONLY())
        .aggregationDepth(2)
        .collectTrainingStats(false)
        .rngSeed(seed);
  }
}
