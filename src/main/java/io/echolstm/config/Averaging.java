package io.echolstm.config;

/** Which parameter-averaging implementation trains a point. */
public enum Averaging {
  /**
   * The job's own: each worker keeps its network and updater across averaging rounds and
   * evaluations, and a round is one Spark job over the cached minibatches.
   */
  RESIDENT,
  /**
   * dl4j-spark's {@code ParameterAveragingTrainingMaster}, kept as the reference: a new network per
   * worker and round, with its own data approach ({@code train.approach}) and repartitioning.
   */
  DL4J_SPARK
}
