package io.echolstm.config;

/** When the training master rebalances the training RDD across its workers. */
public enum Repartitioning {
  ALWAYS,
  NEVER,
  NUM_PARTITIONS_WORKERS_DIFFERS
}
